// The served contract is the code's: every route the edge serves is in the
// OpenAPI document of its version, and every documented operation is served.
// The routes come from the router the edge builds, not from a list here; so
// do the policies (which operations keep Idempotency-Key records, which are
// public, which need a scope).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "http-edge/admin/admin_handlers.hpp"
#include "http-edge/admin/console_routes.hpp"
#include "http-edge/auth/request_guard.hpp"
#include "http-edge/handlers/identity_handlers.hpp"
#include "http-edge/handlers/landing_page.hpp"
#include "http-edge/handlers/notification_handlers.hpp"
#include "http-edge/handlers/operations_handlers.hpp"
#include "http-edge/handlers/task_handlers.hpp"
#include "http-edge/handlers/webhook_handlers.hpp"
#include "http-edge/reference/reference_routes.hpp"
#include "http-edge/versions/api_versions.hpp"
#include "runtime/admin/single_node_directory.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "tests/unit/support/single_node_routing.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace taskflow::edge;

namespace {

using operation = std::pair<std::string, std::string>;  // METHOD, path pattern

std::map<operation, route_policy> served_policies() {
  testing::test_config caf_cfg;
  caf::actor_system system{caf_cfg};
  runtime::blocking_pool pool{1, 1};
  runtime::task_gateway gateway{system, pool, nullptr, testing::single_node_routing(system)};
  // Only registered here, never called: the routes are what is compared.
  runtime::identity_gateway identity{system,
                                     {nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      std::make_shared<runtime::revocation_set>(),
                                      std::make_shared<runtime::api_key_cache>(),
                                      {},
                                      runtime::password_hasher{{1, 1024, 1}}},
                                     pool,
                                     testing::single_node_routing(system)};
  runtime::config cfg;
  request_guard guard{identity, cfg};
  runtime::metrics stats;
  router routes;
  add_operations_routes(routes, readiness_probe{}, stats);
  add_task_routes(routes, gateway, cfg, std::make_shared<recent_writes>());
  add_identity_routes_v1(routes, identity, guard, cfg);
  add_oauth_routes(routes, identity);
  add_console_routes(routes);
  add_landing_route(routes);
  add_reference_routes(routes);
  runtime::admin_gateway admin{
      system, std::make_shared<runtime::single_node_directory>(runtime::admin_agent_handle{system}, cfg, 0), nullptr};
  runtime::runtime_events events;
  runtime::webhook_gateway webhooks{pool, nullptr,
                                    std::make_shared<runtime::endpoint_breakers>(runtime::breaker_options{}), false,
                                    [] { return std::int64_t{0}; }};
  add_webhook_routes_v1(routes, webhooks, cfg);
  runtime::load_history load;
  add_admin_routes(routes, admin, events, webhooks, load);
  runtime::notification_gateway feed{nullptr, pool};
  runtime::live_notifications live{{}};
  add_notification_routes(routes, feed, live, stats);
  std::map<operation, route_policy> out;
  for (auto& route : routes.routes())
    out.emplace(operation{route.method, route.pattern}, route.policy);
  return out;
}

std::set<operation> served_routes() {
  std::set<operation> out;
  for (const auto& [op, policy] : served_policies())
    out.insert(op);
  return out;
}

std::set<operation> documented(const nlohmann::json& doc) {
  static const std::set<std::string> methods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<operation> out;
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, op] : item.items())
      if (methods.count(method)) {
        std::string upper = method;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
        out.emplace(upper, path);
      }
  return out;
}

std::string prefix_of(int version) {
  return "/api/v" + std::to_string(version) + "/";
}

}  // namespace

TEST_CASE("every served route is documented in its version's OpenAPI document", "[openapi]") {
  auto served = served_routes();
  REQUIRE(served.size() > 10);
  for (const auto& version : api_versions()) {
    auto doc = nlohmann::json::parse(version.openapi);
    CHECK(doc["openapi"] == "3.1.0");
    CHECK(doc["info"]["version"] == std::to_string(version.number));
    auto in_doc = documented(doc);
    for (const auto& route : served) {
      bool other_version = route.second.rfind("/api/", 0) == 0 && route.second.rfind(prefix_of(version.number), 0) != 0;
      if (other_version)
        continue;
      INFO("v" << version.number << " lacks " << route.first << " " << route.second);
      CHECK(in_doc.count(route) == 1);
    }
  }
}

TEST_CASE("every documented operation is served, under its own version", "[openapi]") {
  auto served = served_routes();
  for (const auto& version : api_versions()) {
    for (const auto& op : documented(nlohmann::json::parse(version.openapi))) {
      INFO("v" << version.number << " documents " << op.first << " " << op.second);
      CHECK(served.count(op) == 1);
      if (op.second.rfind("/api/", 0) == 0)
        CHECK(op.second.rfind(prefix_of(version.number), 0) == 0);
    }
  }
}

TEST_CASE("POST and PATCH under /api document Idempotency-Key, 409 and 422, or that they ignore it", "[openapi]") {
  auto policies = served_policies();
  for (const auto& version : api_versions()) {
    auto doc = nlohmann::json::parse(version.openapi);
    for (const auto& [path, item] : doc["paths"].items())
      for (const auto* method : {"post", "patch"}) {
        if (!item.contains(method) || path.rfind("/api/", 0) != 0)
          continue;
        const auto& op = item[method];
        INFO("v" << version.number << " " << method << " " << path);
        bool takes_key =
            op.value("parameters", nlohmann::json::array()).dump().find("IdempotencyKey") != std::string::npos;
        // The document says what the middleware does, route by route.
        std::string upper = std::string{method} == "post" ? "POST" : "PATCH";
        if (!policies.at({upper, path}).idempotent) {
          CHECK_FALSE(takes_key);
          CHECK(op.value("x-idempotency", "") == "ignored");
          continue;
        }
        CHECK(takes_key);
        CHECK_FALSE(op.contains("x-idempotency"));
        CHECK(op["responses"].contains("409"));
        CHECK(op["responses"].contains("422"));
      }
  }
}

TEST_CASE("every operation has request and response examples", "[openapi]") {
  // The reference at /swagger shows them, and "Try it out" starts from the
  // request's. Optional parameters have none on purpose: Swagger UI would
  // send them unasked. Binary answers (the reference's icon) have none.
  auto has_example = [](const nlohmann::json& node) { return node.contains("example") || node.contains("examples"); };
  for (const auto& version : api_versions()) {
    auto doc = nlohmann::json::parse(version.openapi);
    for (const auto& [path, item] : doc["paths"].items())
      for (const auto& [method, op] : item.items()) {
        if (method == "parameters")
          continue;
        INFO("v" << version.number << " " << method << " " << path);
        auto parameters = item.value("parameters", nlohmann::json::array());
        for (const auto& p : op.value("parameters", nlohmann::json::array()))
          parameters.push_back(p);
        for (const auto& p : parameters)
          if (p.value("required", false)) {
            INFO("parameter " << p.value("name", ""));
            CHECK(has_example(p));
          }
        if (op.contains("requestBody"))
          for (const auto& [media, content] : op["requestBody"]["content"].items()) {
            INFO("request " << media);
            CHECK(has_example(content));
          }
        for (const auto& [status, response] : op["responses"].items()) {
          if (!response.contains("content"))
            continue;
          for (const auto& [media, content] : response["content"].items()) {
            INFO(status << " " << media);
            if (media != "image/png")
              CHECK(has_example(content));
          }
        }
      }
  }
}

TEST_CASE("the policies the routes declare", "[openapi]") {
  auto policies = served_policies();
  for (const auto& [op, policy] : policies) {
    const auto& [method, path] = op;
    INFO(method << " " << path);
    bool task_route = path.rfind("/api/v", 0) == 0 && path.find("/tasks") != std::string::npos;
    // Notifications tell of tasks: reading them, the stream, marking read and
    // the webhooks that deliver them need what reading tasks needs.
    bool notification_route = path.rfind("/api/v1/notifications", 0) == 0 || path == "/api/v1/events" ||
                              path.rfind("/api/v1/webhooks", 0) == 0;
    bool task_write = task_route && (method == "POST" || method == "PATCH");
    // Only task writes keep Idempotency-Key records: the identity operations
    // carry secrets, which a stored answer or fingerprint would keep.
    CHECK(policy.idempotent == task_write);
    if (task_route)
      CHECK(policy.scope == (method == "GET" ? "tasks:read" : "tasks:write"));
    else if (notification_route)
      CHECK(policy.scope == "tasks:read");
    else
      CHECK(policy.scope.empty());
    if (path.rfind("/admin/api/", 0) == 0)
      CHECK(policy.who == access::admin_session);
    // Probes, the console and the reference are never turned away by a client's budget.
    bool unlimited = path == "/" || path == "/healthz" || path == "/readyz" || path == "/metrics" ||
                     path.rfind("/admin", 0) == 0 || path.rfind("/swagger", 0) == 0 || path == "/docs";
    if (path.rfind("/admin/api/", 0) != 0)
      CHECK((policy.rate == rate_class::unlimited) == unlimited);
  }
  for (const auto& open : {operation{"POST", "/api/v1/users"}, operation{"POST", "/api/v1/sessions"},
                           operation{"POST", "/api/v1/sessions/refresh"}}) {
    CHECK(policies.at(open).who == access::anyone);
    CHECK(policies.at(open).rate == rate_class::credential);
  }
  CHECK(policies.at({"POST", "/oauth/token"}).who == access::oauth_client);
  CHECK(policies.at({"POST", "/oauth/token"}).rate == rate_class::credential);
  CHECK(policies.at({"GET", "/api/v1/users/me"}).who == access::signed_in);
  CHECK(policies.at({"GET", "/api/v2/openapi.json"}).who == access::anyone);
}
