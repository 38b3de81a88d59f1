// The user aggregate's functional core: decide() turns a command into events
// or an error; apply() folds an event into the state. The shell stamps event
// ids and passes the clock.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "actors/user/user_state.hpp"
#include "messages/common/error.pb.h"
#include "messages/events/event_envelope.pb.h"
#include "messages/identity/user.pb.h"

namespace taskflow::user {

using decision = std::variant<std::vector<messages::EventEnvelope>, messages::Error>;

inline constexpr const char* aggregate_type = "user";

decision decide(const user_state& state, const messages::UserCommand& command, std::int64_t now_ms);

// The password hash is not part of any event; the shell carries it over from
// the RegisterUser command into the state it commits.
user_state apply(user_state state, const messages::EventEnvelope& event);

}  // namespace taskflow::user
