// The runtime's routing handle for the HTTP edge: the only way the edge
// reaches actors and the read side. Callbacks run on an actor thread or on
// the store pool, never on the caller's (except a list refused by a full
// pool, answered at once); the edge posts them back to its own executor.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/read_model_store.hpp"
#include "messages/task/task_commands.pb.h"
#include "messages/task/task_replies.pb.h"
#include "runtime/edge_api/assignee_check.hpp"
#include "runtime/edge_api/outcome.hpp"
#include "runtime/edge_api/read_fence.hpp"
#include "runtime/edge_api/shard_requester.hpp"

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
  task_gateway(caf::actor_system& system, ports::blocking_executor& pool,
               std::shared_ptr<ports::read_model_store> read_model, shard_request_env routing);

  // Routes a command to its task actor and answers the task as it now is (a
  // delete: only its id). Deadline overruns come back as
  // ERROR_CODE_DEADLINE_EXCEEDED, a missing or crashed actor as UNAVAILABLE;
  // a command assigning someone with no account never leaves (VALIDATION).
  void send(messages::TaskCommand command, std::chrono::milliseconds deadline,
            outcome_handler<messages::TaskSnapshot> done);

  // Serves a list query from the read model (eventually consistent), on
  // the store pool.
  void list(messages::ListTasksQuery query, outcome_handler<messages::TaskPage> done);

  // Tells whether the read model came to hold `position` within `wait`, so
  // a list can show the caller's own write (see read_fence).
  void await_projection(read_position position, std::chrono::milliseconds wait, std::function<void(bool)> done);

  // What /readyz reports. `ready` while the store answers, some node serves
  // the shards (this node's own shard host, without a cluster) and every
  // required dependency is up; `dependencies` by name ("up", "down", ...).
  struct readiness {
    bool ready = false;
    std::vector<std::pair<std::string, std::string>> dependencies;
  };

  // Pings the store and asks each dependency on the store pool, then calls
  // `done` there; with the pool full, `done` gets "not ready" at once on
  // the caller's thread (an overloaded node should get less traffic).
  void check_readiness(std::function<void(readiness)> done);

  // The remote dependencies this node runs on (none on embedded defaults).
  void set_dependencies(std::vector<dependency_check> checks);

  // Where send() checks that assignees exist (without one it does not).
  void set_assignee_check(std::shared_ptr<assignee_check> check) { assignees_ = std::move(check); }

private:
  void ask(messages::TaskCommand command, std::chrono::milliseconds deadline,
           outcome_handler<messages::TaskSnapshot> done);

  ports::blocking_executor& pool_;
  std::shared_ptr<ports::read_model_store> read_model_;
  shard_request_env routing_;
  shard_requester requests_;
  read_fence fence_;
  std::vector<dependency_check> dependencies_;
  std::shared_ptr<assignee_check> assignees_;
};

}  // namespace taskflow::runtime
