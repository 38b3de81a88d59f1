// The runtime's routing handle for the HTTP edge: the only way the edge
// reaches actors and the read side. Callbacks run on an actor thread, never
// on the caller's; the edge posts them back to its own executor.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/ports/read_model_store.hpp"
#include "messages/task/task_commands.pb.h"
#include "messages/task/task_replies.pb.h"
#include "runtime/gateway/shard_request.hpp"

namespace taskflow::runtime {

// One backing service as /readyz reports it.
struct dependency_check {
  std::string name;
  // A required dependency that is not "up" makes the node unready; the
  // others (an accelerator, a bus the outbox buffers for) only show.
  bool required = false;
  std::function<std::string()> status;  // "up", "down", "circuit_open", "fenced"
};

class task_gateway {
public:
  task_gateway(caf::actor_system& system, std::shared_ptr<ports::read_model_store> read_model,
               shard_request_env routing = {});

  // Routes a command to its task actor. Deadline overruns come back as
  // ERROR_CODE_DEADLINE_EXCEEDED, a missing or crashed actor as UNAVAILABLE.
  void send(messages::TaskCommand command, std::chrono::milliseconds deadline,
            std::function<void(messages::TaskReply)> done);

  // Serves a list query from the read model (eventually consistent).
  void list(messages::ListTasksQuery query, std::function<void(messages::ListTasksReply)> done);

  // True while the store answers, some node serves the shards (this node's
  // own shard host, without a cluster) and every required dependency is up.
  bool ready();

  // The remote dependencies this node runs on (none on embedded defaults).
  void set_dependencies(std::vector<dependency_check> checks);
  std::vector<std::pair<std::string, std::string>> dependency_status() const;

private:
  caf::actor_system& system_;
  std::shared_ptr<ports::read_model_store> read_model_;
  shard_request_env routing_;
  std::vector<dependency_check> dependencies_;
};

}  // namespace taskflow::runtime
