// /api/v1/notifications and /api/v1/events: the caller's notification feed,
// marking one read, and the same notifications live as Server-Sent Events.
// Each person sees only their own; nothing here touches a store directly.
#pragma once

#include "http-edge/routing/router.hpp"
#include "runtime/edge_api/notification_gateway.hpp"
#include "runtime/notifications/live_notifications.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::edge {

void add_notification_routes(router& routes, runtime::notification_gateway& feed, runtime::live_notifications& live,
                             runtime::metrics& stats);

}  // namespace taskflow::edge
