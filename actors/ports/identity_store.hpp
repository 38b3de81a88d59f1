// Port: durable state of user and session aggregates. Like task commits, one
// commit writes state, events and outbox rows in one transaction, fenced by
// version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "actors/session/session_state.hpp"
#include "actors/user/user_state.hpp"
#include "messages/events/event_envelope.pb.h"

namespace taskflow::ports {

template <class State>
struct aggregate_commit {
  std::int64_t expected_version = 0;  // 0 when the aggregate is new
  State next;
  std::vector<messages::EventEnvelope> events;
};

using user_commit = aggregate_commit<user::user_state>;
using session_commit = aggregate_commit<session::session_state>;

struct revoked_session {
  std::string session_id;
  std::int64_t revoke_until_ms = 0;
};

class identity_store {
public:
  virtual ~identity_store() = default;

  virtual caf::expected<std::optional<user::user_state>> load_user(const std::string& id) = 0;
  // By the normalized (lower-case) email.
  virtual caf::expected<std::optional<user::user_state>> find_user_by_email(const std::string& normalized_email) = 0;
  // store_errc::duplicate_key when the email is taken, conflict on a stale version.
  virtual caf::expected<void> commit_user(const user_commit& commit) = 0;

  virtual caf::expected<std::optional<session::session_state>> load_session(const std::string& id) = 0;
  virtual caf::expected<void> commit_session(const session_commit& commit) = 0;
  // Sessions revoked whose access tokens may still be alive at now_ms: what a
  // starting edge loads into its revocation set.
  virtual caf::expected<std::vector<revoked_session>> revoked_sessions(std::int64_t now_ms) = 0;
};

}  // namespace taskflow::ports
