#include "http-edge/v1/webhook_json_v1.hpp"

#include "messages/time/rfc3339.hpp"

namespace taskflow::edge::v1 {
namespace {

nlohmann::json time_or_null(const std::optional<std::int64_t>& ms) {
  return ms ? nlohmann::json(clock::format_rfc3339(*ms)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json webhook_to_json(const runtime::webhook_endpoint& endpoint, bool with_secret) {
  nlohmann::json out{{"id", endpoint.id},
                     {"url", endpoint.url},
                     {"events", endpoint.events},
                     {"created_at", clock::format_rfc3339(endpoint.created_at_ms)},
                     {"disabled_at", time_or_null(endpoint.disabled_at_ms)}};
  if (with_secret)
    out["secret"] = endpoint.secret;
  return out;
}

nlohmann::json delivery_to_json(const runtime::webhook_delivery& delivery) {
  return {{"id", delivery.id},
          {"notification_id", delivery.notification.id()},
          {"event_type", delivery.notification.type()},
          {"attempts", delivery.attempts},
          {"status", delivery.status},
          {"last_status_code",
           delivery.last_status_code ? nlohmann::json(*delivery.last_status_code) : nlohmann::json(nullptr)},
          {"last_error", delivery.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(delivery.last_error)},
          {"next_attempt_at", delivery.status == "pending"
                                  ? nlohmann::json(clock::format_rfc3339(delivery.next_attempt_at_ms))
                                  : nlohmann::json(nullptr)},
          {"delivered_at", time_or_null(delivery.delivered_at_ms)},
          {"created_at", clock::format_rfc3339(delivery.created_at_ms)}};
}

nlohmann::json dispatcher_to_json(const runtime::webhook_dispatcher_view& view) {
  auto endpoints = nlohmann::json::array();
  for (const auto& e : view.endpoints)
    endpoints.push_back({{"id", e.id},
                         {"url", e.url},
                         {"owner_id", e.owner_id},
                         {"retrying", e.retrying},
                         {"breaker", e.breaker},
                         {"disabled", e.disabled}});
  return {{"pending", view.pending}, {"endpoints", std::move(endpoints)}};
}

}  // namespace taskflow::edge::v1
