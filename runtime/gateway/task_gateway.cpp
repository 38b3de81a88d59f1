#include "runtime/gateway/task_gateway.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>

#include "actors/task/task_decider.hpp"
#include "messages/caf_types.hpp"
#include "runtime/atoms.hpp"
#include "runtime/gateway/shard_request.hpp"

namespace taskflow::runtime {
namespace {

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

task_gateway::task_gateway(caf::actor_system& system, std::shared_ptr<ports::read_model_store> read_model,
                           shard_request_env routing)
    : system_(system), read_model_(std::move(read_model)), routing_(std::move(routing)) {}

void task_gateway::send(messages::TaskCommand command, std::chrono::milliseconds deadline,
                        std::function<void(messages::TaskReply)> done) {
  ask_owner<messages::TaskReply>(system_, routing_, std::move(command), deadline, std::move(done));
}

void task_gateway::list(messages::ListTasksQuery query, std::function<void(messages::ListTasksReply)> done) {
  system_.spawn(list_query, read_model_, std::move(query), std::move(done));
}

bool task_gateway::ready() {
  bool routable = routing_.router ? routing_.router->has_owners()
                                  : static_cast<bool>(system_.registry().get<caf::actor>(shard_host_name));
  if (!routable || !read_model_->ping())
    return false;
  for (const auto& dependency : dependencies_)
    if (dependency.required && dependency.status() != "up")
      return false;
  return true;
}

void task_gateway::set_dependencies(std::vector<dependency_check> checks) {
  dependencies_ = std::move(checks);
}

std::vector<std::pair<std::string, std::string>> task_gateway::dependency_status() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& dependency : dependencies_)
    out.emplace_back(dependency.name, dependency.status());
  return out;
}

}  // namespace taskflow::runtime
