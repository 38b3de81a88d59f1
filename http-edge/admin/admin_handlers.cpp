#include "http-edge/admin/admin_handlers.hpp"

#include "http-edge/admin/actor_cursor.hpp"
#include "http-edge/admin/actor_query.hpp"
#include "http-edge/admin/admin_views.hpp"
#include "http-edge/admin/runtime_event_stream.hpp"
#include "http-edge/admin/trace_views.hpp"
#include "http-edge/handlers/json_request.hpp"
#include "http-edge/handlers/json_response.hpp"
#include "http-edge/handlers/webhook_handlers.hpp"
#include "http-edge/v1/webhook_json_v1.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::edge {
namespace {

using context_ptr = std::shared_ptr<request_context>;

// The actor a path names; unknown types and malformed ids name nothing.
std::optional<runtime::actor_position> actor_of(const request_context& ctx) {
  auto type = ctx.path_params.find("type");
  auto id = ctx.path_params.find("id");
  if (type == ctx.path_params.end() || id == ctx.path_params.end() || !runtime::is_actor_type(type->second) ||
      !ids::is_uuid(id->second))
    return std::nullopt;
  return runtime::actor_position{type->second, id->second};
}

void list_actors(runtime::admin_gateway& admin, context_ptr ctx, responder respond) {
  auto parsed = parse_actor_query(ctx->query);
  if (auto* errors = std::get_if<messages::field_errors>(&parsed))
    return respond(rendered(validation_failed(std::move(*errors)), *ctx));
  auto query = std::get<runtime::actor_query>(std::move(parsed));
  auto filter = actor_filter_of(query);
  admin.list_actors(
      std::move(query), ctx->time_left(), [ctx, respond, filter](runtime::outcome<runtime::actor_page> result) {
        if (auto* error = std::get_if<messages::Error>(&result))
          return respond(rendered(from_error(*error), *ctx));
        auto& page = std::get<runtime::actor_page>(result);
        auto items = nlohmann::json::array();
        for (const auto& actor : page.items)
          items.push_back(resident_actor_to_json(actor));
        respond(json_response(http::status::ok,
                              {{"items", std::move(items)},
                               {"next_cursor", page.next ? nlohmann::json(encode_actor_cursor(*page.next, filter))
                                                         : nlohmann::json(nullptr)},
                               {"unanswered_nodes", page.unanswered_nodes}}));
      });
}

void show_actor(runtime::admin_gateway& admin, context_ptr ctx, responder respond) {
  auto actor = actor_of(*ctx);
  if (!actor)
    return respond(rendered(not_found("No actor at " + ctx->path + "."), *ctx));
  admin.inspect(
      actor->type, actor->id, ctx->time_left(), [ctx, respond](runtime::outcome<messages::ActorSnapshot> result) {
        if (auto* error = std::get_if<messages::Error>(&result))
          return respond(rendered(from_error(*error), *ctx));
        respond(json_response(http::status::ok, actor_snapshot_to_json(std::get<messages::ActorSnapshot>(result))));
      });
}

void passivate_actor(runtime::admin_gateway& admin, context_ptr ctx, responder respond) {
  auto actor = actor_of(*ctx);
  if (!actor)
    return respond(rendered(not_found("No actor at " + ctx->path + "."), *ctx));
  admin.passivate(actor->type, actor->id, ctx->time_left(), [ctx, respond](runtime::outcome<bool> result) {
    if (auto* error = std::get_if<messages::Error>(&result))
      return respond(rendered(from_error(*error), *ctx));
    if (!std::get<bool>(result))
      return respond(rendered(not_found("This actor is not resident."), *ctx));
    respond(http_response{http::status::no_content, 11});
  });
}

void list_traces(runtime::admin_gateway& admin, const context_ptr& ctx, const responder& respond) {
  auto parsed = parse_trace_query(ctx->query);
  if (auto* errors = std::get_if<messages::field_errors>(&parsed))
    return respond(rendered(validation_failed(std::move(*errors)), *ctx));
  admin.list_traces(
      std::get<messages::ListTraces>(std::move(parsed)), ctx->time_left(),
      [respond](runtime::trace_list list) { respond(json_response(http::status::ok, trace_list_to_json(list))); });
}

void show_trace(runtime::admin_gateway& admin, const context_ptr& ctx, const responder& respond) {
  auto id = ctx->path_params.at("trace_id");
  if (!is_trace_id(id))
    return respond(rendered(bad_request("A trace id is 32 lower-case hex digits, not all zero."), *ctx));
  admin.trace(id, ctx->time_left(), [ctx, respond, id](runtime::gathered_trace trace) {
    if (trace.spans.empty())
      return respond(
          rendered(not_found("No node keeps spans of trace " + id +
                             ": it was not sampled, or it has left every node's buffer of recent and slowest traces."),
                   *ctx));
    respond(json_response(http::status::ok, trace_to_json(id, trace)));
  });
}

void stream_events(runtime::runtime_events& events, const context_ptr& ctx, const responder& respond) {
  ctx->stream = std::make_shared<runtime_event_stream>(events);
  http_response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/event-stream; charset=utf-8");
  // Tells nginx-style proxies not to buffer the stream.
  res.set("X-Accel-Buffering", "no");
  respond(std::move(res));
}

}  // namespace

void add_admin_routes(router& routes, runtime::admin_gateway& admin, runtime::runtime_events& events,
                      runtime::webhook_gateway& webhooks, const runtime::load_history& load) {
  auto* gw = &admin;
  const route_policy admins{.who = access::admin_session};
  routes.add(http::verb::get, "/admin/api/cluster", admins, [gw](context_ptr ctx, responder respond) {
    gw->cluster(ctx->time_left(), [respond](runtime::cluster_status status) {
      respond(json_response(http::status::ok, cluster_to_json(status)));
    });
  });
  routes.add(http::verb::get, "/admin/api/shards", admins, [gw](const context_ptr&, const responder& respond) {
    respond(json_response(http::status::ok, shards_to_json(gw->shards())));
  });
  routes.add(http::verb::get, "/admin/api/actors", admins,
             [gw](context_ptr ctx, responder respond) { list_actors(*gw, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::get, "/admin/api/actors/{type}/{id}", admins,
             [gw](context_ptr ctx, responder respond) { show_actor(*gw, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::post, "/admin/api/actors/{type}/{id}/passivate", admins,
             [gw](context_ptr ctx, responder respond) { passivate_actor(*gw, std::move(ctx), std::move(respond)); });
  // The queue is every node's (it is in the store); breakers are the
  // answering node's.
  routes.add(http::verb::get, "/admin/api/webhooks", admins, [wh = &webhooks](context_ptr ctx, responder respond) {
    wh->dispatcher([ctx, respond](runtime::outcome<runtime::webhook_dispatcher_view> result) {
      if (auto* error = std::get_if<messages::Error>(&result))
        return respond(rendered(from_error(*error), *ctx));
      respond(
          json_response(http::status::ok, v1::dispatcher_to_json(std::get<runtime::webhook_dispatcher_view>(result))));
    });
  });
  routes.add(http::verb::get, "/admin/api/webhooks/{id}/deliveries", admins,
             [wh = &webhooks](const context_ptr& ctx, const responder& respond) {
               answer_webhook_deliveries(*wh, std::nullopt, ctx, respond);
             });
  routes.add(http::verb::get, "/admin/api/metrics/history", admins,
             [&load](const context_ptr&, const responder& respond) {
               respond(json_response(http::status::ok, load_history_to_json(load.samples())));
             });
  routes.add(http::verb::get, "/admin/api/traces", admins,
             [gw](const context_ptr& ctx, const responder& respond) { list_traces(*gw, ctx, respond); });
  routes.add(http::verb::get, "/admin/api/traces/{trace_id}", admins,
             [gw](const context_ptr& ctx, const responder& respond) { show_trace(*gw, ctx, respond); });
  routes.add(http::verb::get, "/admin/api/stream", admins,
             [&events](const context_ptr& ctx, const responder& respond) { stream_events(events, ctx, respond); });
}

}  // namespace taskflow::edge
