// /admin/api/...: the admin API of API.md (cluster, shards, resident actors,
// one actor, passivation, and the runtime's live events as Server-Sent
// Events). The request guard lets only admins with a session through; the
// answers come from the runtime's admin gateway, for the whole cluster.
#pragma once

#include "http-edge/routing/router.hpp"
#include "runtime/admin/admin_gateway.hpp"
#include "runtime/admin/runtime_events.hpp"
#include "runtime/edge_api/webhook_gateway.hpp"

namespace taskflow::edge {

// `webhooks` answers GET /admin/api/webhooks, the dispatcher's view.
void add_admin_routes(router& routes, runtime::admin_gateway& admin, runtime::runtime_events& events,
                      runtime::webhook_gateway& webhooks);

}  // namespace taskflow::edge
