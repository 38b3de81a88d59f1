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
  system_.spawn([host, deadline, command = std::move(command),
                 done = std::move(done)](caf::event_based_actor* self) {
    self->request(host, deadline, command)
        .then([done](messages::TaskReply& reply) { done(std::move(reply)); },
              [done](caf::error& err) {
                if (err == caf::sec::request_timeout)
                  done(error_reply(messages::ERROR_CODE_DEADLINE_EXCEEDED,
                                   "The task did not answer within the request deadline."));
                else
                  done(error_reply(messages::ERROR_CODE_UNAVAILABLE,
                                   "The task's actor stopped before answering; try again."));
              });
  });
}

void task_gateway::list(messages::ListTasksQuery query,
                        std::function<void(messages::ListTasksReply)> done) {
  system_.spawn([read_model = read_model_, query = std::move(query),
                 done = std::move(done)](caf::event_based_actor* self) {
    messages::ListTasksReply reply;
    if (auto page = read_model->list_tasks(query))
      *reply.mutable_page() = std::move(*page);
    else
      *reply.mutable_error() = task::make_error(
          messages::ERROR_CODE_UNAVAILABLE, "The read model is unavailable: " + ports::error_detail(page.error()));
    done(std::move(reply));
    self->quit();
  });
}

bool task_gateway::ready() {
  return system_.registry().get<caf::actor>(shard_host_name) && read_model_->ping();
}

}  // namespace taskflow::runtime
