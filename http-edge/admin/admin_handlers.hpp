// /admin/api/...: the admin API of API.md (cluster, shards, resident actors,
// one actor, passivation, the runtime's live events as Server-Sent Events,
// and this node's recent load for the console's chart). The request guard lets only admins with a session through; the
// answers come from the runtime's admin gateway, for the whole cluster.
#pragma once

#include "http-edge/routing/router.hpp"
#include "runtime/admin/admin_gateway.hpp"
#include "runtime/admin/runtime_events.hpp"
#include "runtime/edge_api/webhook_gateway.hpp"
#include "runtime/observability/load_history.hpp"

namespace taskflow::edge {

// `webhooks` answers GET /admin/api/webhooks, the dispatcher's view; `load`
// GET /admin/api/metrics/history, the node's recent load.
void add_admin_routes(router& routes, runtime::admin_gateway& admin, runtime::runtime_events& events,
                      runtime::webhook_gateway& webhooks, const runtime::load_history& load);

}  // namespace taskflow::edge
