#include "runtime/gateway/task_gateway.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>

#include "actors/task/task_decider.hpp"
#include "messages/caf_types.hpp"
#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace {

messages::TaskReply error_reply(messages::ErrorCode code, std::string detail) {
  messages::TaskReply reply;
  *reply.mutable_error() = task::make_error(code, std::move(detail));
  return reply;
}

// One request in flight: asks `target` and hands the reply (or the error it
// maps to) to `done`. Inputs are spawn arguments rather than captures: CAF
// 0.17 dereferences a null argument tuple when a function actor is spawned
// without arguments, which UBSan rightly flags.
void request_bridge(caf::event_based_actor* self, caf::actor target, std::chrono::milliseconds deadline,
                    messages::TaskCommand command, std::function<void(messages::TaskReply)> done) {
  self->request(target, deadline, std::move(command))
      .then([done](messages::TaskReply& reply) { done(std::move(reply)); },
            [done](caf::error& err) {
              if (err == caf::sec::request_timeout)
                done(error_reply(messages::ERROR_CODE_DEADLINE_EXCEEDED,
                                 "The task did not answer within the request deadline."));
              else
                done(error_reply(messages::ERROR_CODE_UNAVAILABLE,
                                 "The task's actor stopped before answering; try again."));
            });
}

// Runs one list query on an actor thread (the read model blocks) and quits.
void list_query(caf::event_based_actor* self, std::shared_ptr<ports::read_model_store> read_model,
                messages::ListTasksQuery query, std::function<void(messages::ListTasksReply)> done) {
  messages::ListTasksReply reply;
  auto page = query.has_keyset() ? read_model->list_tasks_keyset(query) : read_model->list_tasks(query);
  if (page)
    *reply.mutable_page() = std::move(*page);
  else
    *reply.mutable_error() = task::make_error(messages::ERROR_CODE_UNAVAILABLE,
                                              "The read model is unavailable: " + ports::error_detail(page.error()));
  done(std::move(reply));
  self->quit();
}

}  // namespace

task_gateway::task_gateway(caf::actor_system& system, std::shared_ptr<ports::read_model_store> read_model)
    : system_(system), read_model_(std::move(read_model)) {}

void task_gateway::send(messages::TaskCommand command, std::chrono::milliseconds deadline,
                        std::function<void(messages::TaskReply)> done) {
  auto host = system_.registry().get<caf::actor>(shard_host_name);
  if (!host) {
    done(error_reply(messages::ERROR_CODE_UNAVAILABLE, "No shard host is running on this node."));
    return;
  }
  // A short-lived actor per request keeps the edge's threads free and lets
  // CAF enforce the deadline on the reply.
  system_.spawn(request_bridge, host, deadline, std::move(command), std::move(done));
}

void task_gateway::list(messages::ListTasksQuery query, std::function<void(messages::ListTasksReply)> done) {
  system_.spawn(list_query, read_model_, std::move(query), std::move(done));
}

bool task_gateway::ready() {
  return system_.registry().get<caf::actor>(shard_host_name) && read_model_->ping();
}

}  // namespace taskflow::runtime
