#include "http-edge/grpc/task_service.hpp"

#include <exception>
#include <string>

#include "http-edge/grpc/grpc_status.hpp"
#include "http-edge/grpc/task_resource.hpp"
#include "http-edge/middleware/idempotency.hpp"
#include "http-edge/middleware/request_identity.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::edge::grpc_api {
namespace {

namespace v1 = taskflow::v1;
using context_ptr = std::shared_ptr<call_context>;

constexpr std::string_view read_scope = "tasks:read";
constexpr std::string_view write_scope = "tasks:write";

// "ipv4:127.0.0.1:5000", "ipv6:[::1]:5000" (brackets perhaps percent-encoded)
// -> the address alone, as the HTTP edge's rate limits and logs name it.
std::string peer_address(std::string peer) {
  for (auto [encoded, plain] : {std::pair{"%5B", "["}, std::pair{"%5D", "]"}})
    for (auto at = peer.find(encoded); at != std::string::npos; at = peer.find(encoded))
      peer.replace(at, 3, plain);
  auto colon = peer.find(':');
  auto rest = colon == std::string::npos ? peer : peer.substr(colon + 1);
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    return close == std::string::npos ? rest : rest.substr(1, close - 1);
  }
  auto port = rest.rfind(':');
  return port == std::string::npos ? rest : rest.substr(0, port);
}

// Reads what the call needs from its server context, on the gRPC thread
// that started it.
context_ptr context_of(grpc::CallbackServerContext* server, const char* method, const runtime::config& cfg) {
  auto ctx = std::make_shared<call_context>();
  ctx->method = method;
  ctx->started = std::chrono::steady_clock::now();
  for (const auto& [key, value] : server->client_metadata()) {
    std::string name{key.data(), key.size()};
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "-bin") == 0)
      continue;
    ctx->metadata.emplace(std::move(name), std::string{value.data(), value.size()});
  }
  auto first = [&](const char* key) {
    auto it = ctx->metadata.find(key);
    return it == ctx->metadata.end() ? std::string_view{} : std::string_view{it->second};
  };
  ctx->span = trace::span::start(std::string{"taskflow.v1.Tasks/"} + method, trace::kind::server, first("traceparent"));
  ctx->span.attr("rpc.system", "grpc").attr("rpc.service", "taskflow.v1.Tasks").attr("rpc.method", method);
  ctx->traceparent = ctx->span.traceparent();
  ctx->request_id = resolve_request_id(first("x-request-id"));
  ctx->peer = peer_address(server->peer());
  // The client's deadline travels into the actor request, capped by ours.
  auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(cfg.request_timeout);
  auto now = std::chrono::system_clock::now();
  auto client_deadline = server->deadline();
  if (client_deadline < now + budget)
    budget = std::max(std::chrono::milliseconds{0},
                      std::chrono::duration_cast<std::chrono::milliseconds>(client_deadline - now));
  ctx->deadline = ctx->started + budget;
  return ctx;
}

messages::TaskCommand command_for(const call_context& ctx, std::string task_id) {
  messages::TaskCommand cmd;
  cmd.set_task_id(std::move(task_id));
  cmd.set_command_id(execution_scoped_id(ctx.execution_id, "command"));
  *cmd.mutable_principal() = ctx.principal;
  cmd.set_traceparent(ctx.traceparent);
  return cmd;
}

call_answer refused(const messages::field_errors& errors) {
  return {invalid_argument(errors), {}};
}

call_answer malformed_id(const char* field) {
  messages::field_errors errors;
  messages::add_field_error(errors, field, "must be a task id (UUID)");
  return refused(errors);
}

// The gateway's answer as the call's: the task, or its error's status.
// A write is remembered as the principal's last, for their next list.
runtime::outcome_handler<messages::TaskSnapshot> answer_task(call_responder respond, recent_writes* writes = nullptr,
                                                             std::string principal_id = {}) {
  return [respond = std::move(respond), writes, principal_id](runtime::outcome<messages::TaskSnapshot> reply) {
    if (const auto* e = runtime::failed(reply))
      return respond({status_of(*e), {}});
    const auto& task = std::get<messages::TaskSnapshot>(reply);
    if (writes)
      writes->remember(principal_id, {task.id(), task.version(), false});
    respond({grpc::Status::OK, to_resource(task).SerializeAsString()});
  };
}

// The longest a list waits for the caller's last write to reach the read
// model, as over HTTP; past it the list answers as it stands.
constexpr auto read_after_wait = std::chrono::milliseconds{2000};

}  // namespace

task_service::task_service(task_service_deps deps, const runtime::config& cfg) : deps_(deps), cfg_(cfg) {}

grpc::ServerUnaryReactor* task_service::serve(grpc::CallbackServerContext* context, const char* method,
                                              std::string_view scope, const google::protobuf::Message* keyed,
                                              google::protobuf::Message* response, work run) {
  auto ctx = context_of(context, method, cfg_);
  auto* reactor = context->DefaultReactor();
  auto* observer = &deps_.observer;
  // Runs once per call, on whichever thread the answer arrives on; the
  // server context stays valid until Finish has been called.
  auto finish = [context, reactor, ctx, response, observer](call_answer answer) {
    context->AddInitialMetadata("x-request-id", ctx->request_id);
    if (ctx->replayed)
      context->AddTrailingMetadata("idempotent-replayed", "true");
    if (answer.status.ok() && !response->ParseFromString(answer.reply))
      answer.status = failure(grpc::StatusCode::INTERNAL, "The server could not complete the request.", "INTERNAL");
    observer->record(*ctx, answer.status.error_code());
    reactor->Finish(answer.status);
  };
  // A call whose deadline had passed on arrival is answered so at once: any
  // work for it would be thrown away by the caller.
  if (ctx->deadline <= ctx->started) {
    finish({failure(grpc::StatusCode::DEADLINE_EXCEEDED, "The call's deadline had passed when it arrived.",
                    "DEADLINE_EXCEEDED"),
            {}});
    return reactor;
  }
  // The budget counts the refusal in taskflow_grpc_requests_shed_total.
  if (!deps_.admission.try_enter()) {
    ctx->shed = true;
    finish({failure(grpc::StatusCode::UNAVAILABLE, "This node is at its limit of calls in flight; retry shortly.",
                    "OVERLOADED", std::chrono::seconds{1}),
            {}});
    return reactor;
  }
  auto* admission = &deps_.admission;
  call_responder done = [admission, finish](call_answer answer) {
    admission->leave();
    finish(std::move(answer));
  };
  auto guarded = [this, ctx, keyed, method, done, run = std::move(run)](grpc::Status admitted) {
    if (!admitted.ok())
      return done({std::move(admitted), {}});
    try {
      if (!keyed)
        return run(ctx, done);
      deps_.idempotency.handle(
          ctx, std::string{"/taskflow.v1.Tasks/"} + method, *keyed,
          [ctx, run](call_responder respond) { run(ctx, std::move(respond)); }, done);
    } catch (const std::exception&) {
      // Nothing below throws by design; if something does, the client gets
      // INTERNAL rather than a call that never ends.
      done({failure(grpc::StatusCode::INTERNAL, "The server could not complete the request.", "INTERNAL"), {}});
    }
  };
  deps_.guard.admit(ctx, scope, std::move(guarded));
  return reactor;
}

grpc::ServerUnaryReactor* task_service::CreateTask(grpc::CallbackServerContext* context,
                                                   const v1::CreateTaskRequest* request, v1::Task* response) {
  return serve(context, "CreateTask", write_scope, request, response,
               [this, request](const context_ptr& ctx, call_responder respond) {
                 auto create = create_from_resource(request->task());
                 if (auto* errors = std::get_if<messages::field_errors>(&create))
                   return respond(refused(*errors));
                 // With an idempotency-key every retry names the same task.
                 auto cmd = command_for(*ctx, execution_scoped_id(ctx->execution_id, "task"));
                 *cmd.mutable_create() = std::move(std::get<messages::CreateTask>(create));
                 deps_.tasks.send(std::move(cmd), ctx->time_left(),
                                  answer_task(std::move(respond), &deps_.writes, ctx->principal.id()));
               });
}

grpc::ServerUnaryReactor* task_service::GetTask(grpc::CallbackServerContext* context, const v1::GetTaskRequest* request,
                                                v1::Task* response) {
  return serve(context, "GetTask", read_scope, nullptr, response,
               [this, request](const context_ptr& ctx, call_responder respond) {
                 if (!ids::is_uuid(request->id()))
                   return respond(malformed_id("id"));
                 auto cmd = command_for(*ctx, request->id());
                 cmd.mutable_get();
                 deps_.tasks.send(std::move(cmd), ctx->time_left(), answer_task(std::move(respond)));
               });
}

grpc::ServerUnaryReactor* task_service::ListTasks(grpc::CallbackServerContext* context,
                                                  const v1::ListTasksRequest* request,
                                                  v1::ListTasksResponse* response) {
  return serve(context, "ListTasks", read_scope, nullptr, response,
               [this, request](const context_ptr& ctx, call_responder respond) {
                 messages::ListTasksQuery query;
                 query.set_viewer_id(ctx->principal.id());
                 for (const auto& role : ctx->principal.roles())
                   if (role == "admin")
                     query.set_viewer_is_admin(true);
                 if (auto errors = read_list_request(*request, query); !errors.empty())
                   return respond(refused(errors));
                 auto* tasks = &deps_.tasks;
                 auto list = [tasks, respond, query] {
                   tasks->list(query, [respond, query](runtime::outcome<messages::TaskPage> reply) {
                     if (const auto* e = runtime::failed(reply))
                       return respond({status_of(*e), {}});
                     respond({grpc::Status::OK,
                              to_list_response(std::get<messages::TaskPage>(reply), query).SerializeAsString()});
                   });
                 };
                 auto after = deps_.writes.last(ctx->principal.id());
                 if (!after)
                   return list();
                 tasks->await_projection(std::move(*after), std::min(read_after_wait, ctx->time_left()),
                                         [list](bool) { list(); });
               });
}

grpc::ServerUnaryReactor* task_service::UpdateTask(grpc::CallbackServerContext* context,
                                                   const v1::UpdateTaskRequest* request, v1::Task* response) {
  return serve(context, "UpdateTask", write_scope, request, response,
               [this, request](const context_ptr& ctx, call_responder respond) {
                 if (!ids::is_uuid(request->task().id()))
                   return respond(malformed_id("task.id"));
                 auto update = update_from_resource(request->task(),
                                                    request->has_update_mask() ? &request->update_mask() : nullptr);
                 if (auto* errors = std::get_if<messages::field_errors>(&update))
                   return respond(refused(*errors));
                 auto cmd = command_for(*ctx, request->task().id());
                 if (request->has_expected_version())
                   cmd.set_expected_version(request->expected_version());
                 *cmd.mutable_update() = std::move(std::get<messages::UpdateTask>(update));
                 deps_.tasks.send(std::move(cmd), ctx->time_left(),
                                  answer_task(std::move(respond), &deps_.writes, ctx->principal.id()));
               });
}

grpc::ServerUnaryReactor* task_service::DeleteTask(grpc::CallbackServerContext* context,
                                                   const v1::DeleteTaskRequest* request,
                                                   google::protobuf::Empty* response) {
  return serve(context, "DeleteTask", write_scope, nullptr, response,
               [this, request](const context_ptr& ctx, call_responder respond) {
                 if (!ids::is_uuid(request->id()))
                   return respond(malformed_id("id"));
                 auto cmd = command_for(*ctx, request->id());
                 if (request->has_expected_version())
                   cmd.set_expected_version(request->expected_version());
                 cmd.mutable_delete_task();
                 deps_.tasks.send(
                     std::move(cmd), ctx->time_left(),
                     [respond, writes = &deps_.writes,
                      principal_id = ctx->principal.id()](runtime::outcome<messages::TaskSnapshot> reply) {
                       if (const auto* e = runtime::failed(reply))
                         return respond({status_of(*e), {}});
                       writes->remember(principal_id, {std::get<messages::TaskSnapshot>(reply).id(), 0, true});
                       respond({grpc::Status::OK, {}});
                     });
               });
}

}  // namespace taskflow::edge::grpc_api
