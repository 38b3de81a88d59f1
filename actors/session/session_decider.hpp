// The session aggregate's functional core. Unlike tasks, one decision can both
// change state and refuse the caller: a reused refresh token revokes the
// session (an event to commit) and is itself rejected (an error to reply).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "actors/session/session_state.hpp"
#include "messages/common/error.pb.h"
#include "messages/events/event_envelope.pb.h"
#include "messages/identity/session.pb.h"

namespace taskflow::session {

inline constexpr const char* aggregate_type = "session";
// Enough rotations to catch a replayed token long after it was spent, few
// enough that the state stays small.
inline constexpr std::size_t remembered_spent_hashes = 64;

struct decision {
  std::vector<messages::EventEnvelope> events;
  std::optional<messages::Error> error;  // what the caller hears, after events commit
};

decision decide(const session_state& state, const messages::SessionCommand& command, std::int64_t now_ms);

// Until when a session revoked at `revoked_at_ms` must have its access tokens
// refused: they cannot outlive the access-token lifetime nor the session.
std::int64_t revocation_lasts_until_ms(const messages::SessionSnapshot& session, std::int64_t revoked_at_ms);

// Folds the decided events into the state, and rotates the refresh-token
// hashes the command carried (they are secrets, so no event holds them).
session_state evolve(session_state state, const messages::SessionCommand& command,
                     const std::vector<messages::EventEnvelope>& events);

}  // namespace taskflow::session
