#include "http-edge/handlers/webhook_handlers.hpp"

#include "http-edge/handlers/json_request.hpp"
#include "http-edge/handlers/json_response.hpp"
#include "http-edge/pagination/page_cursor.hpp"
#include "http-edge/pagination/page_limit.hpp"
#include "http-edge/problem/problem.hpp"
#include "http-edge/v1/identity_json_v1.hpp"
#include "http-edge/v1/webhook_json_v1.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::edge {
namespace {

using context_ptr = std::shared_ptr<request_context>;
using runtime::failed;

// Cursors of one endpoint's log fit only that log.
std::string cursor_filter(const std::string& endpoint_id) {
  return "webhook-deliveries:" + endpoint_id;
}

const std::string* webhook_id_of(const request_context& ctx) {
  auto it = ctx.path_params.find("id");
  return it != ctx.path_params.end() && ids::is_uuid(it->second) ? &it->second : nullptr;
}

void register_webhook(runtime::webhook_gateway& webhooks, const runtime::config& cfg, context_ptr ctx,
                      responder respond) {
  auto body = json_body(*ctx, cfg, respond);
  if (!body)
    return;
  messages::field_errors errors;
  runtime::webhook_registration registration;
  registration.owner_id = ctx->principal.id();
  registration.url = v1::string_field(*body, "url", errors);
  registration.events = v1::strings_field(*body, "events", errors);
  if (auto secret = body->find("secret"); secret != body->end() && !secret->is_null()) {
    if (secret->is_string())
      registration.secret = secret->get<std::string>();
    else
      messages::add_field_error(errors, "secret", "must be a string");
  }
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  webhooks.create(std::move(registration), [ctx, respond](runtime::outcome<runtime::webhook_endpoint> result) {
    if (auto* e = failed(result))
      return respond(rendered(from_error(*e), *ctx));
    const auto& endpoint = std::get<runtime::webhook_endpoint>(result);
    auto res = json_response(http::status::created, v1::webhook_to_json(endpoint, true));
    res.set(http::field::location, "/api/v1/webhooks/" + endpoint.id);
    // The secret is in this answer only.
    res.set(http::field::cache_control, "no-store");
    respond(std::move(res));
  });
}

void list_webhooks(runtime::webhook_gateway& webhooks, context_ptr ctx, responder respond) {
  webhooks.list(ctx->principal.id(), [ctx, respond](runtime::outcome<std::vector<runtime::webhook_endpoint>> result) {
    if (auto* e = failed(result))
      return respond(rendered(from_error(*e), *ctx));
    auto items = nlohmann::json::array();
    for (const auto& endpoint : std::get<std::vector<runtime::webhook_endpoint>>(result))
      items.push_back(v1::webhook_to_json(endpoint, false));
    respond(json_response(http::status::ok, {{"items", std::move(items)}}));
  });
}

void delete_webhook(runtime::webhook_gateway& webhooks, context_ptr ctx, responder respond) {
  const auto* id = webhook_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No webhook with this id."), *ctx));
  webhooks.remove(ctx->principal.id(), *id, [ctx, respond](runtime::outcome<bool> result) {
    if (auto* e = failed(result))
      return respond(rendered(from_error(*e), *ctx));
    respond(http_response{http::status::no_content, 11});
  });
}

}  // namespace

void answer_webhook_deliveries(runtime::webhook_gateway& webhooks, std::optional<std::string> owner_id,
                               const std::shared_ptr<request_context>& ctx, const responder& respond) {
  const auto* id = webhook_id_of(*ctx);
  if (!id)
    return respond(rendered(not_found("No webhook with this id."), *ctx));
  messages::field_errors errors;
  auto limit = page_limit(ctx->query_param("limit"), errors);
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  std::optional<runtime::delivery_position> after;
  if (const auto* cursor = ctx->query_param("cursor")) {
    auto position = decode_page_cursor(*cursor, cursor_filter(*id));
    if (!position)
      return respond(rendered(bad_request("The cursor is not one this list gave out."), *ctx));
    after = runtime::delivery_position{position->created_at_ms(), position->id()};
  }
  webhooks.deliveries(
      std::move(owner_id), *id, static_cast<std::size_t>(limit), after,
      [ctx, respond, endpoint_id = *id](runtime::outcome<runtime::delivery_page> result) {
        if (auto* e = failed(result))
          return respond(rendered(from_error(*e), *ctx));
        const auto& page = std::get<runtime::delivery_page>(result);
        auto items = nlohmann::json::array();
        for (const auto& d : page.items)
          items.push_back(v1::delivery_to_json(d));
        nlohmann::json next = nullptr;
        if (page.more) {
          messages::TaskListPosition last;
          last.set_created_at_ms(page.items.back().created_at_ms);
          last.set_id(page.items.back().id);
          next = encode_page_cursor(last, cursor_filter(endpoint_id));
        }
        respond(json_response(http::status::ok, {{"items", std::move(items)}, {"next_cursor", std::move(next)}}));
      });
}

void add_webhook_routes_v1(router& routes, runtime::webhook_gateway& webhooks, const runtime::config& cfg) {
  auto* gw = &webhooks;
  // A webhook delivers the caller's notifications elsewhere, so its routes
  // need what reading them needs (http-edge/handlers/notification_handlers.cpp).
  const route_policy notification_reader{.scope = "tasks:read"};
  // Not idempotent: a kept answer would keep the secret, which is shown once
  // and stored nowhere else in the clear but the endpoint (as for API keys).
  routes.add(http::verb::post, "/api/v1/webhooks", notification_reader,
             [gw, &cfg](context_ptr ctx, responder r) { register_webhook(*gw, cfg, std::move(ctx), std::move(r)); });
  routes.add(http::verb::get, "/api/v1/webhooks", notification_reader,
             [gw](context_ptr ctx, responder r) { list_webhooks(*gw, std::move(ctx), std::move(r)); });
  routes.add(http::verb::delete_, "/api/v1/webhooks/{id}", notification_reader,
             [gw](context_ptr ctx, responder r) { delete_webhook(*gw, std::move(ctx), std::move(r)); });
  routes.add(http::verb::get, "/api/v1/webhooks/{id}/deliveries", notification_reader,
             [gw](const context_ptr& ctx, const responder& r) {
               answer_webhook_deliveries(*gw, ctx->principal.id(), ctx, r);
             });
}

}  // namespace taskflow::edge
