#include "http-edge/edge.hpp"

#include <algorithm>

#include <caf/sec.hpp>

#include "http-edge/admin/admin_handlers.hpp"
#include "http-edge/admin/console_routes.hpp"
#include "http-edge/grpc/grpc_edge.hpp"
#include "http-edge/handlers/identity_handlers.hpp"
#include "http-edge/handlers/landing_page.hpp"
#include "http-edge/handlers/notification_handlers.hpp"
#include "http-edge/handlers/operations_handlers.hpp"
#include "http-edge/handlers/recent_writes.hpp"
#include "http-edge/handlers/task_handlers.hpp"
#include "http-edge/handlers/webhook_handlers.hpp"
#include "http-edge/reference/reference_routes.hpp"
#include "http-edge/server/http_server.hpp"
#include "runtime/observability/load_sampler.hpp"

namespace taskflow::edge {

struct http_edge::impl {
  const runtime::config& cfg;
  router routes;
  request_guard guard;
  request_pipeline pipeline;
  http_server server;
  // The console chart's history: kept here, where the requests are counted,
  // so a reload of the console does not start it over.
  runtime::load_history load;
  runtime::load_sampler sampler;
  // Each principal's last task write, for read-your-writes on either protocol.
  std::shared_ptr<recent_writes> writes = std::make_shared<recent_writes>();
  std::unique_ptr<grpc_edge> grpc;

  impl(const runtime::config& c, runtime::identity_gateway& identity, runtime::idempotency_gateway& idempotency,
       runtime::metrics& stats, const runtime::logger& log)
      : cfg(c),
        guard(identity, c),
        pipeline(routes, c, stats, log, c.has_role("edge") ? &guard : nullptr, &idempotency),
        server(pipeline,
               server_limits{c.max_body_bytes, c.max_header_bytes, std::chrono::seconds{60}, std::chrono::seconds{30}},
               log),
        sampler(stats, load) {}
};

http_edge::http_edge(const runtime::config& cfg, edge_services services, runtime::metrics& stats,
                     const runtime::logger& log, std::function<bool()> node_healthy)
    : self_(std::make_unique<impl>(cfg, services.identity, services.idempotency, stats, log)) {
  if (cfg.has_role("edge") && cfg.grpc_listen)
    self_->grpc = std::make_unique<grpc_edge>(
        cfg,
        grpc_edge_deps{services.tasks, services.identity, services.idempotency, self_->guard.per_principal(),
                       self_->guard.per_ip(), *self_->writes, node_healthy},
        stats, log);
  add_operations_routes(self_->routes,
                        readiness_probe{&services.tasks, std::move(node_healthy), &self_->server.draining()}, stats);
  if (cfg.has_role("edge")) {
    add_task_routes(self_->routes, services.tasks, cfg, self_->writes);
    add_identity_routes_v1(self_->routes, services.identity, self_->guard, cfg);
    add_oauth_routes(self_->routes, services.identity);
    add_notification_routes(self_->routes, services.notifications, services.live, stats);
    add_webhook_routes_v1(self_->routes, services.webhooks, cfg);
    add_console_routes(self_->routes);
    add_landing_route(self_->routes);
    add_reference_routes(self_->routes);
    add_admin_routes(self_->routes, services.admin, services.events, services.webhooks, self_->load);
  }
}

http_edge::~http_edge() = default;

caf::expected<void> http_edge::start(tcp_listener listener) {
  return self_->server.start(std::move(listener), self_->cfg.http_threads);
}

caf::expected<std::string> http_edge::start_grpc() {
  if (!self_->grpc)
    return caf::make_error(caf::sec::invalid_argument, "gRPC needs the edge role and --grpc-listen");
  return self_->grpc->start();
}

void http_edge::begin_shutdown() {
  if (self_->grpc)
    self_->grpc->stop_serving();
}

std::size_t http_edge::drain(std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  if (self_->grpc)
    self_->grpc->drain(timeout);
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  return self_->server.drain(std::max(left, std::chrono::milliseconds{0}));
}

void http_edge::stop() {
  self_->server.stop();
}

}  // namespace taskflow::edge
