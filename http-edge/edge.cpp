#include "http-edge/edge.hpp"

#include "http-edge/admin/admin_handlers.hpp"
#include "http-edge/admin/console_routes.hpp"
#include "http-edge/handlers/identity_handlers.hpp"
#include "http-edge/handlers/landing_page.hpp"
#include "http-edge/handlers/notification_handlers.hpp"
#include "http-edge/handlers/operations_handlers.hpp"
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
  add_operations_routes(self_->routes,
                        readiness_probe{&services.tasks, std::move(node_healthy), &self_->server.draining()}, stats);
  if (cfg.has_role("edge")) {
    add_task_routes(self_->routes, services.tasks, cfg);
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

std::size_t http_edge::drain(std::chrono::milliseconds timeout) {
  return self_->server.drain(timeout);
}

void http_edge::stop() {
  self_->server.stop();
}

}  // namespace taskflow::edge
