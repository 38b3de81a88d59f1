#include "http-edge/handlers/task_handlers.hpp"

#include <charconv>

#include "http-edge/handlers/json_request.hpp"
#include "http-edge/handlers/json_response.hpp"
#include "http-edge/middleware/entity_tags.hpp"
#include "http-edge/v1/task_json_v1.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/task/task_status_names.hpp"

namespace taskflow::edge {
namespace {

using nlohmann::json;
using context_ptr = std::shared_ptr<request_context>;

constexpr auto tasks_path_v1 = "/api/v1/tasks";
constexpr int max_page_size = 200;
constexpr int default_page_size = 50;

messages::TaskCommand command_for(const request_context& ctx, std::string task_id) {
  messages::TaskCommand cmd;
  cmd.set_task_id(std::move(task_id));
  cmd.set_command_id(ids::new_uuid_v7());
  *cmd.mutable_principal() = ctx.principal;
  cmd.set_traceparent(ctx.traceparent);
  return cmd;
}

http_response task_response(http::status status, const messages::TaskSnapshot& task) {
  auto res = json_response(status, v1::task_to_json(task));
  res.set(http::field::etag, etag_for(task.version()));
  return res;
}

// A problem for the reply's error, with Location when a natural key is taken.
http_response error_response(const messages::Error& error, const request_context& ctx) {
  auto p = from_error(error);
  if (!error.existing_id().empty())
    p.headers.emplace_back("Location", std::string{tasks_path_v1} + "/" + error.existing_id());
  return rendered(p, ctx);
}

// Unknown and malformed ids are both "no such task" to the client.
const std::string* task_id_of(const request_context& ctx) {
  auto it = ctx.path_params.find("id");
  return it != ctx.path_params.end() && ids::is_uuid(it->second) ? &it->second : nullptr;
}

void create_task(runtime::task_gateway& gateway, const runtime::config& cfg, context_ptr ctx, responder respond) {
  if (auto p = require_json_body(*ctx, {"application/json"}))
    return respond(rendered(*p, *ctx));
  auto body = body_of(*ctx, cfg);
  if (auto* p = std::get_if<problem>(&body))
    return respond(rendered(*p, *ctx));
  auto create = v1::create_from_json(std::get<json>(body));
  if (auto* errors = std::get_if<v1::field_errors>(&create))
    return respond(rendered(validation_failed(std::move(*errors)), *ctx));

  auto cmd = command_for(*ctx, ids::new_uuid_v7());
  *cmd.mutable_create() = std::move(std::get<messages::CreateTask>(create));
  gateway.send(std::move(cmd), ctx->time_left(), [ctx, respond](messages::TaskReply reply) {
    if (reply.has_error())
      return respond(error_response(reply.error(), *ctx));
    auto res = task_response(http::status::created, reply.task());
    res.set(http::field::location, std::string{tasks_path_v1} + "/" + reply.task().id());
    respond(std::move(res));
  });
}

void get_task(runtime::task_gateway& gateway, context_ptr ctx, responder respond) {
  const auto* id = task_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No task with this id."), *ctx));
  auto cmd = command_for(*ctx, *id);
  cmd.mutable_get();
  gateway.send(std::move(cmd), ctx->time_left(), [ctx, respond](messages::TaskReply reply) {
    if (reply.has_error())
      return respond(error_response(reply.error(), *ctx));
    auto inm = ctx->request[http::field::if_none_match];
    if (!inm.empty() && if_none_match_hits({inm.data(), inm.size()}, reply.task().version())) {
      http_response res{http::status::not_modified, 11};
      res.set(http::field::etag, etag_for(reply.task().version()));
      return respond(std::move(res));
    }
    respond(task_response(http::status::ok, reply.task()));
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

void patch_task(runtime::task_gateway& gateway, const runtime::config& cfg, context_ptr ctx, responder respond) {
  const auto* id = task_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No task with this id."), *ctx));
  if (auto p = require_json_body(*ctx, {"application/merge-patch+json", "application/json"}))
    return respond(rendered(*p, *ctx));
  auto body = body_of(*ctx, cfg);
  if (auto* p = std::get_if<problem>(&body))
    return respond(rendered(*p, *ctx));
  auto update = v1::update_from_json(std::get<json>(body));
  if (auto* errors = std::get_if<v1::field_errors>(&update))
    return respond(rendered(validation_failed(std::move(*errors)), *ctx));
  if (ctx->request[http::field::if_match].empty())
    return respond(rendered(precondition_required("PATCH needs If-Match with the task's current ETag, "
                                                  "e.g. If-Match: \"3\", so concurrent edits are not lost."),
                            *ctx));
  auto cmd = command_for(*ctx, *id);
  if (auto p = apply_if_match(*ctx, cmd))
    return respond(rendered(*p, *ctx));
  *cmd.mutable_update() = std::move(std::get<messages::UpdateTask>(update));
  gateway.send(std::move(cmd), ctx->time_left(), [ctx, respond](messages::TaskReply reply) {
    if (reply.has_error())
      return respond(error_response(reply.error(), *ctx));
    respond(task_response(http::status::ok, reply.task()));
  });
}

void delete_task(runtime::task_gateway& gateway, context_ptr ctx, responder respond) {
  const auto* id = task_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No task with this id."), *ctx));
  auto cmd = command_for(*ctx, *id);
  if (!ctx->request[http::field::if_match].empty())
    if (auto p = apply_if_match(*ctx, cmd))
      return respond(rendered(*p, *ctx));
  cmd.mutable_delete_task();
  gateway.send(std::move(cmd), ctx->time_left(), [ctx, respond](messages::TaskReply reply) {
    if (reply.has_error())
      return respond(error_response(reply.error(), *ctx));
    respond(http_response{http::status::no_content, 11});
  });
}

std::optional<int> positive_int(const std::string& text, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > max)
    return std::nullopt;
  return value;
}

void list_tasks(runtime::task_gateway& gateway, context_ptr ctx, responder respond) {
  messages::ListTasksQuery query;
  query.set_viewer_id(ctx->principal.id());
  for (const auto& role : ctx->principal.roles())
    if (role == "admin")
      query.set_viewer_is_admin(true);
  v1::field_errors errors;
  if (const auto* status = ctx->query_param("status"); status && !status->empty()) {
    if (auto parsed = messages::parse_status(*status))
      query.set_status(*parsed);
    else
      messages::add_field_error(errors, "status", "must be one of todo, in_progress, done, cancelled");
  }
  if (const auto* assignee = ctx->query_param("assignee_id"); assignee && !assignee->empty()) {
    if (ids::is_uuid(*assignee))
      query.set_assignee_id(*assignee);
    else
      messages::add_field_error(errors, "assignee_id", "must be a user id (UUID)");
  }
  int page = 1, page_size = default_page_size;
  if (const auto* p = ctx->query_param("page"); p && !p->empty()) {
    if (auto parsed = positive_int(*p, 1'000'000))
      page = *parsed;
    else
      messages::add_field_error(errors, "page", "must be an integer from 1");
  }
  if (const auto* ps = ctx->query_param("page_size"); ps && !ps->empty()) {
    if (auto parsed = positive_int(*ps, max_page_size))
      page_size = *parsed;
    else
      messages::add_field_error(errors, "page_size", "must be an integer from 1 to 200");
  }
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  query.set_offset((page - 1) * page_size);
  query.set_limit(page_size);
  gateway.list(std::move(query), [ctx, respond, page, page_size](messages::ListTasksReply reply) {
    if (reply.has_error())
      return respond(error_response(reply.error(), *ctx));
    json items = json::array();
    for (const auto& task : reply.page().items())
      items.push_back(v1::task_to_json(task));
    respond(json_response(
        http::status::ok,
        {{"items", std::move(items)}, {"page", page}, {"page_size", page_size}, {"total", reply.page().total()}}));
  });
}

}  // namespace

void add_task_routes_v1(router& routes, runtime::task_gateway& gateway, const runtime::config& cfg) {
  auto* gw = &gateway;
  auto* c = &cfg;
  routes.add(http::verb::post, tasks_path_v1,
             [gw, c](context_ptr ctx, responder respond) { create_task(*gw, *c, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::get, tasks_path_v1,
             [gw](context_ptr ctx, responder respond) { list_tasks(*gw, std::move(ctx), std::move(respond)); });
  const std::string item = std::string{tasks_path_v1} + "/{id}";
  routes.add(http::verb::get, item,
             [gw](context_ptr ctx, responder respond) { get_task(*gw, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::patch, item,
             [gw, c](context_ptr ctx, responder respond) { patch_task(*gw, *c, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::delete_, item,
             [gw](context_ptr ctx, responder respond) { delete_task(*gw, std::move(ctx), std::move(respond)); });
}

}  // namespace taskflow::edge
