// The actor shell around a session (key "session/<id>"). Its lifecycle is the
// session's: it stops itself when the session expires or is revoked, so an
// ended session holds no memory; a later message reactivates it from the
// store only to be refused.
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
#include "actors/session/session_state.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "messages/identity/session.pb.h"

namespace taskflow::session {

struct session_actor_deps {
  std::shared_ptr<ports::identity_store> store;
  // Runs the store calls; outlives every actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  std::function<std::int64_t()> now_ms;
  std::function<void()> on_committed;
};

struct session_actor_state {
  std::optional<session_state> state;
};

struct session_shell_state {
  // Shared with the job in flight, which may outlive a killed actor.
  std::shared_ptr<session_actor_state> data = std::make_shared<session_actor_state>();
  shell::serial_jobs jobs;
  bool expiry_scheduled = false;
  static inline const char* name = "session";
};

using session_actor_type = caf::stateful_actor<session_shell_state>;

caf::behavior session_actor(session_actor_type* self, std::string session_id, session_actor_deps deps);

messages::SessionReply handle_command(session_actor_state& st, const std::string& session_id,
                                      const session_actor_deps& deps, const messages::SessionCommand& cmd);

}  // namespace taskflow::session
