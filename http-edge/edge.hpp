// The HTTP edge of one node: routes, middleware pipeline and server, wired to
// the runtime's routing handle. Every node serves /healthz, /readyz and
// /metrics; only nodes with the edge role serve /api and /admin/api.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "http-edge/server/tcp_listener.hpp"
#include "runtime/admin/admin_gateway.hpp"
#include "runtime/admin/runtime_events.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/idempotency_gateway.hpp"
#include "runtime/edge_api/identity_gateway.hpp"
#include "runtime/edge_api/notification_gateway.hpp"
#include "runtime/edge_api/task_gateway.hpp"
#include "runtime/edge_api/webhook_gateway.hpp"
#include "runtime/notifications/live_notifications.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::edge {

// What the edge serves from: the node's gateways and live feeds.
struct edge_services {
  runtime::task_gateway& tasks;
  runtime::identity_gateway& identity;
  runtime::idempotency_gateway& idempotency;
  runtime::admin_gateway& admin;
  runtime::runtime_events& events;
  runtime::notification_gateway& notifications;
  runtime::live_notifications& live;
  runtime::webhook_gateway& webhooks;
};

class http_edge {
public:
  http_edge(const runtime::config& cfg, edge_services services, runtime::metrics& stats, const runtime::logger& log,
            std::function<bool()> node_healthy);
  ~http_edge();

  // Serves on `listener` (opened on cfg.listen before the node started).
  caf::expected<void> start(tcp_listener listener);

  // Serves the gRPC task API on cfg.grpc_listen (an edge node with it set);
  // answers the address bound.
  caf::expected<std::string> start_grpc();

  // A shutdown has begun: gRPC health turns NOT_SERVING while requests are
  // still served, so balancers stop sending before the node stops taking.
  void begin_shutdown();

  // Stops accepting and waits for in-flight requests and calls; returns how
  // many HTTP requests were still running when the timeout hit.
  std::size_t drain(std::chrono::milliseconds timeout);
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> self_;
};

}  // namespace taskflow::edge
