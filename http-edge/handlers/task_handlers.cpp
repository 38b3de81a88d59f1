#include "http-edge/handlers/task_handlers.hpp"

#include "http-edge/handlers/json_request.hpp"
#include "http-edge/handlers/json_response.hpp"
#include "http-edge/handlers/recent_writes.hpp"
#include "http-edge/middleware/entity_tags.hpp"
#include "http-edge/middleware/idempotency.hpp"
#include "http-edge/versions/api_versions.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/task/client_version.hpp"

namespace taskflow::edge {
namespace {

using nlohmann::json;
using context_ptr = std::shared_ptr<request_context>;

messages::TaskCommand command_for(const request_context& ctx, std::string task_id) {
  messages::TaskCommand cmd;
  cmd.set_task_id(std::move(task_id));
  // A retry of a request with an Idempotency-Key is the same command to the actor.
  cmd.set_command_id(request_scoped_id(ctx, "command"));
  *cmd.mutable_principal() = ctx.principal;
  cmd.set_traceparent(ctx.traceparent);
  return cmd;
}

http_response task_response(http::status status, const messages::TaskSnapshot& task, const task_mapper& mapper) {
  auto res = json_response(status, mapper.task_to_json(task));
  res.set(http::field::etag, etag_for(messages::client_version(task)));
  return res;
}

// A problem for the reply's error in the version's words, with Location when
// a natural key is taken.
http_response error_response(const messages::Error& error, const request_context& ctx, const task_mapper& mapper) {
  auto p = from_error(error);
  for (auto& e : p.errors)
    e.set_field(mapper.field_name(e.field()));
  if (!error.existing_id().empty())
    p.headers.emplace_back("Location", mapper.tasks_path() + "/" + error.existing_id());
  return rendered(p, ctx);
}

// A write's answer names where it got to, and the edge remembers it as the
// principal's last write, for their next list.
void note_write(recent_writes& writes, const request_context& ctx, http_response& res,
                runtime::read_position position) {
  res.set(position_header, position_token(position));
  writes.remember(ctx.principal.id(), std::move(position));
}

// Unknown and malformed ids are both "no such task" to the client.
const std::string* task_id_of(const request_context& ctx) {
  auto it = ctx.path_params.find("id");
  return it != ctx.path_params.end() && ids::is_uuid(it->second) ? &it->second : nullptr;
}

void create_task(runtime::task_gateway& gateway, const runtime::config& cfg, const task_mapper& mapper,
                 recent_writes& writes, context_ptr ctx, responder respond) {
  auto body = json_body(*ctx, cfg, respond);
  if (!body)
    return;
  auto create = mapper.create_from_json(*body);
  if (auto* errors = std::get_if<messages::field_errors>(&create))
    return respond(rendered(validation_failed(std::move(*errors)), *ctx));

  // With an Idempotency-Key every retry names the same task, so a retry that
  // outlived the edge's memory of the first still cannot create a second one.
  auto cmd = command_for(*ctx, request_scoped_id(*ctx, "task"));
  *cmd.mutable_create() = std::move(std::get<messages::CreateTask>(create));
  gateway.send(std::move(cmd), ctx->time_left(),
               [ctx, respond, &mapper, &writes](runtime::outcome<messages::TaskSnapshot> reply) {
                 if (const auto* e = runtime::failed(reply))
                   return respond(error_response(*e, *ctx, mapper));
                 const auto& task = std::get<messages::TaskSnapshot>(reply);
                 auto res = task_response(http::status::created, task, mapper);
                 res.set(http::field::location, mapper.tasks_path() + "/" + task.id());
                 note_write(writes, *ctx, res, {task.id(), task.version(), false});
                 respond(std::move(res));
               });
}

void get_task(runtime::task_gateway& gateway, const task_mapper& mapper, context_ptr ctx, responder respond) {
  const auto* id = task_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No task with this id."), *ctx));
  auto cmd = command_for(*ctx, *id);
  cmd.mutable_get();
  gateway.send(std::move(cmd), ctx->time_left(),
               [ctx, respond, &mapper](runtime::outcome<messages::TaskSnapshot> reply) {
                 if (const auto* e = runtime::failed(reply))
                   return respond(error_response(*e, *ctx, mapper));
                 const auto& task = std::get<messages::TaskSnapshot>(reply);
                 auto inm = ctx->request[http::field::if_none_match];
                 if (!inm.empty() && if_none_match_hits({inm.data(), inm.size()}, messages::client_version(task))) {
                   http_response res{http::status::not_modified, 11};
                   res.set(http::field::etag, etag_for(messages::client_version(task)));
                   return respond(std::move(res));
                 }
                 respond(task_response(http::status::ok, task, mapper));
               });
}

// Applies If-Match to the command; a problem when it cannot match.
std::optional<problem> apply_if_match(const request_context& ctx, messages::TaskCommand& cmd) {
  auto header = ctx.request[http::field::if_match];
  auto demanded = parse_if_match({header.data(), header.size()});
  if (auto* version = std::get_if<std::int64_t>(&demanded))
    cmd.set_expected_version(*version);
  else if (std::holds_alternative<unmatchable_version>(demanded))
    return precondition_failed("If-Match must be one strong ETag of this task, such as \"3\", or *.");
  return std::nullopt;
}

// 428 that names the task's current ETag, so the hint can be pasted as it
// is. The version is read as a GET reads it, only on this error path; the
// read has an id of its own, so it never stands in for the PATCH's command.
void require_if_match(runtime::task_gateway& gateway, const task_mapper& mapper, const context_ptr& ctx,
                      const responder& respond, const std::string& id) {
  auto cmd = command_for(*ctx, id);
  cmd.set_command_id(ids::new_uuid_v7());
  cmd.mutable_get();
  gateway.send(std::move(cmd), ctx->time_left(),
               [ctx, respond, &mapper](runtime::outcome<messages::TaskSnapshot> reply) {
                 if (const auto* e = runtime::failed(reply))
                   return respond(error_response(*e, *ctx, mapper));
                 auto etag = etag_for(messages::client_version(std::get<messages::TaskSnapshot>(reply)));
                 auto p = precondition_required("PATCH needs If-Match with the task's current ETag, If-Match: " + etag +
                                                ", so concurrent edits are not lost.");
                 p.headers.emplace_back("ETag", etag);
                 respond(rendered(p, *ctx));
               });
}

void patch_task(runtime::task_gateway& gateway, const runtime::config& cfg, const task_mapper& mapper,
                recent_writes& writes, context_ptr ctx, responder respond) {
  const auto* id = task_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No task with this id."), *ctx));
  auto body = json_body(*ctx, cfg, respond, {"application/merge-patch+json", "application/json"});
  if (!body)
    return;
  auto update = mapper.update_from_json(*body);
  if (auto* errors = std::get_if<messages::field_errors>(&update))
    return respond(rendered(validation_failed(std::move(*errors)), *ctx));
  if (ctx->request[http::field::if_match].empty())
    return require_if_match(gateway, mapper, ctx, respond, *id);
  auto cmd = command_for(*ctx, *id);
  if (auto p = apply_if_match(*ctx, cmd))
    return respond(rendered(*p, *ctx));
  *cmd.mutable_update() = std::move(std::get<messages::UpdateTask>(update));
  gateway.send(std::move(cmd), ctx->time_left(),
               [ctx, respond, &mapper, &writes](runtime::outcome<messages::TaskSnapshot> reply) {
                 if (const auto* e = runtime::failed(reply))
                   return respond(error_response(*e, *ctx, mapper));
                 const auto& task = std::get<messages::TaskSnapshot>(reply);
                 auto res = task_response(http::status::ok, task, mapper);
                 note_write(writes, *ctx, res, {task.id(), task.version(), false});
                 respond(std::move(res));
               });
}

void delete_task(runtime::task_gateway& gateway, const task_mapper& mapper, recent_writes& writes, context_ptr ctx,
                 responder respond) {
  const auto* id = task_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No task with this id."), *ctx));
  auto cmd = command_for(*ctx, *id);
  if (!ctx->request[http::field::if_match].empty())
    if (auto p = apply_if_match(*ctx, cmd))
      return respond(rendered(*p, *ctx));
  cmd.mutable_delete_task();
  gateway.send(std::move(cmd), ctx->time_left(),
               [ctx, respond, &mapper, &writes](runtime::outcome<messages::TaskSnapshot> reply) {
                 if (const auto* e = runtime::failed(reply))
                   return respond(error_response(*e, *ctx, mapper));
                 http_response res{http::status::no_content, 11};
                 note_write(writes, *ctx, res, {std::get<messages::TaskSnapshot>(reply).id(), 0, true});
                 respond(std::move(res));
               });
}

// The longest a list waits for the caller's write to reach the read model;
// past it the list answers as it stands and says so.
constexpr auto read_after_wait = std::chrono::milliseconds{2000};

void answer_list(runtime::task_gateway& gateway, const task_mapper& mapper, const context_ptr& ctx,
                 const responder& respond, const messages::ListTasksQuery& query, const char* consistency) {
  gateway.list(query, [ctx, respond, &mapper, query, consistency](runtime::outcome<messages::TaskPage> reply) {
    if (const auto* e = runtime::failed(reply))
      return respond(error_response(*e, *ctx, mapper));
    auto res = json_response(http::status::ok, mapper.page_to_json(std::get<messages::TaskPage>(reply), query));
    if (consistency)
      res.set(consistency_header, consistency);
    respond(std::move(res));
  });
}

void list_tasks(runtime::task_gateway& gateway, const task_mapper& mapper, const recent_writes& writes, context_ptr ctx,
                responder respond) {
  messages::ListTasksQuery query;
  query.set_viewer_id(ctx->principal.id());
  for (const auto& role : ctx->principal.roles())
    if (role == "admin")
      query.set_viewer_is_admin(true);
  auto errors = mapper.read_list_query(ctx->query, query);
  std::optional<runtime::read_position> after;
  if (auto token = ctx->request[read_after_header]; !token.empty()) {
    after = parse_position_token({token.data(), token.size()});
    if (!after)
      messages::add_field_error(errors, read_after_header,
                                "must be a TaskFlow-Position this API answered a write with");
  } else {
    after = writes.last(ctx->principal.id());
  }
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  if (!after)
    return answer_list(gateway, mapper, ctx, respond, query, nullptr);
  auto wait = std::min(read_after_wait, ctx->time_left());
  gateway.await_projection(std::move(*after), wait, [&gateway, &mapper, ctx, respond, query](bool caught_up) {
    answer_list(gateway, mapper, ctx, respond, query, caught_up ? "read-your-writes" : "stale");
  });
}

}  // namespace

void add_task_routes(router& routes, runtime::task_gateway& gateway, const runtime::config& cfg,
                     const task_mapper& mapper, std::shared_ptr<recent_writes> writes) {
  auto* gw = &gateway;
  auto* c = &cfg;
  const auto* m = &mapper;
  const auto collection = mapper.tasks_path();
  const std::string item = collection + "/{id}";
  const route_policy reads{.scope = "tasks:read"};
  const route_policy writes_policy{.scope = "tasks:write"};
  const route_policy keyed_writes{.scope = "tasks:write", .idempotent = true};
  routes.add(http::verb::post, collection, keyed_writes, [gw, c, m, writes](context_ptr ctx, responder respond) {
    create_task(*gw, *c, *m, *writes, std::move(ctx), std::move(respond));
  });
  routes.add(http::verb::get, collection, reads, [gw, m, writes](context_ptr ctx, responder respond) {
    list_tasks(*gw, *m, *writes, std::move(ctx), std::move(respond));
  });
  routes.add(http::verb::get, item, reads,
             [gw, m](context_ptr ctx, responder respond) { get_task(*gw, *m, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::patch, item, keyed_writes, [gw, c, m, writes](context_ptr ctx, responder respond) {
    patch_task(*gw, *c, *m, *writes, std::move(ctx), std::move(respond));
  });
  routes.add(http::verb::delete_, item, writes_policy, [gw, m, writes](context_ptr ctx, responder respond) {
    delete_task(*gw, *m, *writes, std::move(ctx), std::move(respond));
  });
}

void add_task_routes(router& routes, runtime::task_gateway& gateway, const runtime::config& cfg,
                     std::shared_ptr<recent_writes> writes) {
  // One memory for every version: a write through v2 is waited for by a v1 list.
  for (const auto& version : api_versions())
    add_task_routes(routes, gateway, cfg, *version.tasks, writes);
}

}  // namespace taskflow::edge
