// The runtime's routing handle for the HTTP edge: the only way the edge
// reaches actors and the read side. Callbacks run on an actor thread, never
// on the caller's; the edge posts them back to its own executor.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <caf/actor_system.hpp>

#include "actors/ports/read_model_store.hpp"
#include "messages/task/task_commands.pb.h"
#include "messages/task/task_replies.pb.h"

namespace taskflow::runtime {

class task_gateway {
public:
  task_gateway(caf::actor_system& system, std::shared_ptr<ports::read_model_store> read_model);

  // Routes a command to its task actor. Deadline overruns come back as
  // ERROR_CODE_DEADLINE_EXCEEDED, a missing or crashed actor as UNAVAILABLE.
  void send(messages::TaskCommand command, std::chrono::milliseconds deadline,
            std::function<void(messages::TaskReply)> done);

  // Serves a list query from the read model (eventually consistent).
  void list(messages::ListTasksQuery query, std::function<void(messages::ListTasksReply)> done);

  // True while the store answers and the shard host is running.
  bool ready();

private:
  caf::actor_system& system_;
  std::shared_ptr<ports::read_model_store> read_model_;
};

}  // namespace taskflow::runtime
