#include "runtime/edge_api/task_gateway.hpp"

#include <caf/sec.hpp>

#include "messages/caf_types.hpp"
#include "messages/common/errors.hpp"
#include "runtime/edge_api/post_or_refuse.hpp"

namespace taskflow::runtime {
namespace {

messages::Error unavailable(const std::string& detail) {
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE, detail);
}

outcome<messages::TaskPage> list_query(ports::read_model_store& read_model, const messages::ListTasksQuery& query) {
  auto page = query.has_keyset() ? read_model.list_tasks_keyset(query) : read_model.list_tasks(query);
  if (!page)
    return unavailable("The read model is unavailable: " + ports::error_detail(page.error()));
  return std::move(*page);
}

// The actor's reply in the gateways' one shape. A delete has no task left
// to show; its answer names the task it deleted.
outcome<messages::TaskSnapshot> from_reply(messages::TaskReply reply, const std::string& task_id) {
  if (reply.has_error())
    return std::move(*reply.mutable_error());
  if (reply.has_task())
    return std::move(*reply.mutable_task());
  messages::TaskSnapshot deleted;
  deleted.set_id(task_id);
  return deleted;
}

}  // namespace

task_gateway::task_gateway(caf::actor_system& system, ports::blocking_executor& pool,
                           std::shared_ptr<ports::read_model_store> read_model, shard_request_env routing)
    : pool_(pool),
      read_model_(std::move(read_model)),
      routing_(std::move(routing)),
      requests_(system, routing_),
      fence_(system, pool_, read_model_) {}

void task_gateway::send(messages::TaskCommand command, std::chrono::milliseconds deadline,
                        outcome_handler<messages::TaskSnapshot> done) {
  if (assignees_) {
    if (auto ids = assignee_check::assigned_by(command); !ids.empty()) {
      // The check reads the store: on the pool, then on to the actor from there.
      return post_or_refuse(
          pool_, done,
          [this, check = assignees_, ids = std::move(ids), command = std::move(command), deadline, done]() mutable {
            if (auto refused = check->unknown_among(ids))
              return done(std::move(*refused));
            ask(std::move(command), deadline, std::move(done));
          });
    }
  }
  ask(std::move(command), deadline, std::move(done));
}

void task_gateway::ask(messages::TaskCommand command, std::chrono::milliseconds deadline,
                       outcome_handler<messages::TaskSnapshot> done) {
  auto task_id = command.task_id();
  requests_.ask<messages::TaskReply>(std::move(command), deadline,
                                     [task_id = std::move(task_id), done = std::move(done)](messages::TaskReply reply) {
                                       done(from_reply(std::move(reply), task_id));
                                     });
}

void task_gateway::list(messages::ListTasksQuery query, outcome_handler<messages::TaskPage> done) {
  post_or_refuse(pool_, done,
                 [read_model = read_model_, query = std::move(query), done] { done(list_query(*read_model, query)); });
}

void task_gateway::await_projection(read_position position, std::chrono::milliseconds wait,
                                    std::function<void(bool)> done) {
  fence_.await(std::move(position), wait, std::move(done));
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
