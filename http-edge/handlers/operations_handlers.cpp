#include "http-edge/handlers/operations_handlers.hpp"

#include "http-edge/handlers/json_response.hpp"
#include "http-edge/problem/problem.hpp"
#include "http-edge/versions/api_versions.hpp"

namespace taskflow::edge {

void add_operations_routes(router& routes, readiness_probe probe, runtime::metrics& stats) {
  const route_policy probes{.who = access::anyone, .rate = rate_class::unlimited};
  routes.add(http::verb::get, "/healthz", probes, [](std::shared_ptr<request_context>, responder respond) {
    respond(json_response(http::status::ok, {{"status", "ok"}}));
  });
  routes.add(http::verb::get, "/readyz", probes, [probe](std::shared_ptr<request_context> ctx, responder respond) {
    probe.gateway->check_readiness([probe, ctx, respond](runtime::task_gateway::readiness store) {
      bool draining = probe.draining->load();
      bool supervision = probe.node_healthy();
      nlohmann::json checks = {{"store", store.ready ? "up" : "down"},
                               {"supervision", supervision ? "up" : "failed"},
                               {"draining", draining}};
      for (const auto& [name, status] : store.dependencies)
        checks[name] = status;
      if (store.ready && supervision && !draining)
        return respond(json_response(http::status::ok, {{"status", "ready"}, {"checks", checks}}));
      auto p = service_unavailable(draining ? "The node is shutting down." : "A dependency is not ready.", 1);
      p.extensions["checks"] = checks;
      respond(render(p, ctx->path, ctx->request.version(), ctx->request.keep_alive()));
    });
  });
  for (const auto& version : api_versions()) {
    auto document = version.openapi;
    routes.add(http::verb::get, "/api/v" + std::to_string(version.number) + "/openapi.json", {.who = access::anyone},
               [document](std::shared_ptr<request_context>, responder respond) {
                 http_response res{http::status::ok, 11};
                 res.set(http::field::content_type, "application/json; charset=utf-8");
                 res.body() = std::string{document};
                 respond(std::move(res));
               });
  }
  routes.add(http::verb::get, "/metrics", probes, [&stats](std::shared_ptr<request_context>, responder respond) {
    http_response res{http::status::ok, 11};
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.body() = stats.serialize();
    respond(std::move(res));
  });
}

}  // namespace taskflow::edge
