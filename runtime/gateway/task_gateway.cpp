#include "runtime/gateway/task_gateway.hpp"

#include <caf/sec.hpp>

#include "messages/caf_types.hpp"
#include "messages/common/errors.hpp"

namespace taskflow::runtime {
namespace {

messages::ListTasksReply unavailable(const std::string& detail) {
  messages::ListTasksReply reply;
  *reply.mutable_error() = messages::make_error(messages::ERROR_CODE_UNAVAILABLE, detail);
  return reply;
}

messages::ListTasksReply list_query(ports::read_model_store& read_model, const messages::ListTasksQuery& query) {
  auto page = query.has_keyset() ? read_model.list_tasks_keyset(query) : read_model.list_tasks(query);
  if (!page)
    return unavailable("The read model is unavailable: " + ports::error_detail(page.error()));
  messages::ListTasksReply reply;
  *reply.mutable_page() = std::move(*page);
  return reply;
}

}  // namespace

task_gateway::task_gateway(caf::actor_system& system, ports::blocking_executor& pool,
                           std::shared_ptr<ports::read_model_store> read_model, shard_request_env routing)
    : pool_(pool), read_model_(std::move(read_model)), routing_(std::move(routing)), requests_(system, routing_) {}

void task_gateway::send(messages::TaskCommand command, std::chrono::milliseconds deadline,
                        std::function<void(messages::TaskReply)> done) {
  requests_.ask<messages::TaskReply>(std::move(command), deadline, std::move(done));
}

void task_gateway::list(messages::ListTasksQuery query, std::function<void(messages::ListTasksReply)> done) {
  auto posted =
      pool_.post([read_model = read_model_, query = std::move(query), done] { done(list_query(*read_model, query)); });
  if (!posted)
    done(unavailable(ports::pool_full_detail));
}

void task_gateway::check_readiness(std::function<void(readiness)> done) {
  auto check = [this, done] {
    readiness out;
    out.ready = routing_.router->has_owners() && read_model_->ping();
    for (const auto& dependency : dependencies_) {
      auto status = dependency.status();
      if (dependency.required && status != "up")
        out.ready = false;
      out.dependencies.emplace_back(dependency.name, std::move(status));
    }
    done(std::move(out));
  };
  if (!pool_.post(check))
    done(readiness{false, {{"store_pool", "full"}}});
}

void task_gateway::set_dependencies(std::vector<dependency_check> checks) {
  dependencies_ = std::move(checks);
}

}  // namespace taskflow::runtime
