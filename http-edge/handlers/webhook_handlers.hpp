// /api/v1/webhooks (API.md, Notifications: webhooks): register, list and
// delete the caller's endpoints and page one's delivery log. Handlers check
// what HTTP owns and hand the rest to the runtime's webhook gateway.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http-edge/routing/router.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/webhook_gateway.hpp"

namespace taskflow::edge {

void add_webhook_routes_v1(router& routes, runtime::webhook_gateway& webhooks, const runtime::config& cfg);

// GET .../webhooks/{id}/deliveries?limit=&cursor= for the owner, or for any
// endpoint when owner_id is nullopt (the admin API's view).
void answer_webhook_deliveries(runtime::webhook_gateway& webhooks, std::optional<std::string> owner_id,
                               const std::shared_ptr<request_context>& ctx, const responder& respond);

}  // namespace taskflow::edge
