// Webhooks as API.md shows them (Notifications: webhooks): an endpoint
// ({id, url, events, created_at, disabled_at} and, once, its secret) and a
// delivery of its log.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/edge_api/webhook_gateway.hpp"

namespace taskflow::edge::v1 {

// The secret only when `with_secret` (the 201 of a registration).
nlohmann::json webhook_to_json(const runtime::webhook_endpoint& endpoint, bool with_secret);
nlohmann::json delivery_to_json(const runtime::webhook_delivery& delivery);
// The admin console's view of the dispatcher.
nlohmann::json dispatcher_to_json(const runtime::webhook_dispatcher_view& view);

}  // namespace taskflow::edge::v1
