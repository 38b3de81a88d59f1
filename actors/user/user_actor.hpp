// The actor shell around the user aggregate (key "user/<id>"): load on
// activation, decide, commit state + events + outbox, reply.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/identity_store.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "actors/user/user_state.hpp"
#include "messages/identity/user.pb.h"

namespace taskflow::user {

struct user_actor_deps {
  std::shared_ptr<ports::identity_store> store;
  // Runs the store calls; outlives every actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  std::function<std::int64_t()> now_ms;
  std::function<void()> on_committed;
};

struct user_actor_state {
  std::optional<user_state> state;
};

struct user_shell_state {
  // Shared with the job in flight, which may outlive a killed actor.
  std::shared_ptr<user_actor_state> data = std::make_shared<user_actor_state>();
  shell::serial_jobs jobs;
  static inline const char* name = "user";
};

using user_actor_type = caf::stateful_actor<user_shell_state>;

caf::behavior user_actor(user_actor_type* self, std::string user_id, user_actor_deps deps);

messages::UserReply handle_command(user_actor_state& st, const std::string& user_id, const user_actor_deps& deps,
                                   const messages::UserCommand& cmd);

}  // namespace taskflow::user
