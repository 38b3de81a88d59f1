// Method + path → handler: literal segments and {captures}, 404 when no
// pattern fits, 405 with an Allow list (RFC 9110 §15.5.6) when one does but
// not for this method. HEAD is served by GET (RFC 9110 §9.3.2).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "http-edge/routing/router.hpp"

using namespace taskflow::edge;

namespace {

// Each handler records its name so a test can tell which one matched.
handler named(std::string name, std::string& called) {
  return [name = std::move(name), &called](std::shared_ptr<request_context>, responder) { called = name; };
}

std::string call(const route_match& m, std::string& called) {
  called.clear();
  REQUIRE(m.target);
  m.target->run(nullptr, {});
  return called;
}

// Allow is a set; its order is not part of the contract.
std::vector<std::string> allow_list(std::string_view allow) {
  std::vector<std::string> out;
  while (!allow.empty()) {
    auto comma = allow.find(", ");
    out.emplace_back(allow.substr(0, comma));
    allow = comma == std::string_view::npos ? std::string_view{} : allow.substr(comma + 2);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using methods = std::vector<std::string>;

struct task_routes {
  std::string called;
  router routes;
  task_routes() {
    routes.add(http::verb::post, "/api/v1/tasks", {}, named("create", called));
    routes.add(http::verb::get, "/api/v1/tasks", {}, named("list", called));
    routes.add(http::verb::get, "/api/v1/tasks/{id}", {}, named("get", called));
    routes.add(http::verb::patch, "/api/v1/tasks/{id}", {}, named("patch", called));
    routes.add(http::verb::delete_, "/api/v1/tasks/{id}", {}, named("delete", called));
    routes.add(http::verb::post, "/api/v1/tasks/{id}/comments/{comment}", {}, named("comment", called));
    routes.add(http::verb::get, "/healthz", {}, named("healthz", called));
  }
};

}  // namespace

TEST_CASE("split_path yields one entry per segment, empty ones included", "[router]") {
  using segments = std::vector<std::string_view>;
  CHECK(split_path("/") == segments{""});
  CHECK(split_path("/a") == segments{"a"});
  CHECK(split_path("/a/b") == segments{"a", "b"});
  CHECK(split_path("/a/") == segments{"a", ""});
  CHECK(split_path("//") == segments{"", ""});
  CHECK(split_path("/a//b") == segments{"a", "", "b"});
}

TEST_CASE("a literal path reaches its handler", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::get, "/healthz");
  CHECK(m.pattern == "/healthz");
  CHECK(m.params.empty());
  CHECK(call(m, t.called) == "healthz");
}

TEST_CASE("the method picks the handler on a shared pattern", "[router]") {
  task_routes t;
  CHECK(call(t.routes.match(http::verb::post, "/api/v1/tasks"), t.called) == "create");
  CHECK(call(t.routes.match(http::verb::get, "/api/v1/tasks"), t.called) == "list");
  CHECK(call(t.routes.match(http::verb::patch, "/api/v1/tasks/x"), t.called) == "patch");
  CHECK(call(t.routes.match(http::verb::delete_, "/api/v1/tasks/x"), t.called) == "delete");
}

TEST_CASE("captures bind path segments by name", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::get, "/api/v1/tasks/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  CHECK(m.pattern == "/api/v1/tasks/{id}");
  CHECK(m.params == std::map<std::string, std::string>{{"id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}});
  CHECK(call(m, t.called) == "get");
}

TEST_CASE("several captures in one pattern all bind", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::post, "/api/v1/tasks/t1/comments/c9");
  CHECK(m.params == std::map<std::string, std::string>{{"comment", "c9"}, {"id", "t1"}});
  CHECK(call(m, t.called) == "comment");
}

TEST_CASE("a capture takes any bytes of one segment verbatim", "[router]") {
  task_routes t;
  CHECK(t.routes.match(http::verb::get, "/api/v1/tasks/..").params.at("id") == "..");
  CHECK(t.routes.match(http::verb::get, "/api/v1/tasks/{id}").params.at("id") == "{id}");
  CHECK(t.routes.match(http::verb::get, std::string_view{"/api/v1/tasks/a\0b", 17}).params.at("id") ==
        std::string{"a\0b", 3});
}

TEST_CASE("a capture never spans a slash", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::get, "/api/v1/tasks/a/b");
  CHECK(m.pattern.empty());
  CHECK_FALSE(m.target);
}

TEST_CASE("an empty segment does not satisfy a capture", "[router]") {
  task_routes t;
  CHECK(t.routes.match(http::verb::get, "/api/v1/tasks/").pattern.empty());
  CHECK(t.routes.match(http::verb::post, "/api/v1/tasks//comments/c").pattern.empty());
  CHECK(t.routes.match(http::verb::post, "/api/v1/tasks/t/comments/").pattern.empty());
}

TEST_CASE("a trailing slash is a different path", "[router]") {
  task_routes t;
  CHECK(t.routes.match(http::verb::get, "/healthz/").pattern.empty());
  CHECK(t.routes.match(http::verb::get, "/api/v1/tasks/x/").pattern.empty());
}

TEST_CASE("an empty segment inside a literal path does not match", "[router]") {
  task_routes t;
  CHECK(t.routes.match(http::verb::get, "/api//v1/tasks").pattern.empty());
  CHECK(t.routes.match(http::verb::get, "//healthz").pattern.empty());
}

TEST_CASE("literal segments compare case-sensitively", "[router]") {
  task_routes t;
  CHECK(t.routes.match(http::verb::get, "/HEALTHZ").pattern.empty());
  CHECK(t.routes.match(http::verb::get, "/API/v1/tasks").pattern.empty());
}

TEST_CASE("an unknown path matches nothing", "[router]") {
  task_routes t;
  for (std::string_view path : {"/", "/api", "/api/v1", "/api/v2/tasks", "/healthzz", "/api/v1/tasks/x/y/z"}) {
    CAPTURE(path);
    auto m = t.routes.match(http::verb::get, path);
    CHECK(m.pattern.empty());
    CHECK(m.allow.empty());
    CHECK_FALSE(m.target);
  }
}

TEST_CASE("a path that is not absolute matches nothing", "[router]") {
  task_routes t;
  CHECK(t.routes.match(http::verb::get, "").pattern.empty());
  CHECK(t.routes.match(http::verb::get, "healthz").pattern.empty());
  CHECK(t.routes.match(http::verb::get, "api/v1/tasks").pattern.empty());
}

TEST_CASE("a known path with an unsupported method yields the Allow list", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::put, "/api/v1/tasks/x");
  CHECK_FALSE(m.target);
  CHECK(m.pattern == "/api/v1/tasks/{id}");
  CHECK(allow_list(m.allow) == methods{"DELETE", "GET", "HEAD", "PATCH"});
}

TEST_CASE("the Allow list includes HEAD when GET exists", "[router]") {
  task_routes t;
  CHECK(allow_list(t.routes.match(http::verb::delete_, "/api/v1/tasks").allow) == methods{"GET", "HEAD", "POST"});
  CHECK(allow_list(t.routes.match(http::verb::post, "/healthz").allow) == methods{"GET", "HEAD"});
}

TEST_CASE("the Allow list has no HEAD when there is no GET", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::get, "/api/v1/tasks/t/comments/c");
  CHECK_FALSE(m.target);
  CHECK(allow_list(m.allow) == methods{"POST"});
}

TEST_CASE("the Allow list is also filled when the method is allowed", "[router]") {
  task_routes t;
  CHECK(allow_list(t.routes.match(http::verb::get, "/healthz").allow) == methods{"GET", "HEAD"});
}

TEST_CASE("HEAD is served by the GET handler", "[router]") {
  task_routes t;
  CHECK(call(t.routes.match(http::verb::head, "/healthz"), t.called) == "healthz");
  CHECK(call(t.routes.match(http::verb::head, "/api/v1/tasks/x"), t.called) == "get");
}

TEST_CASE("HEAD without a GET route is not allowed", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::head, "/api/v1/tasks/t/comments/c");
  CHECK_FALSE(m.target);
  CHECK(allow_list(m.allow) == methods{"POST"});
}

TEST_CASE("methods the server does not know are not allowed", "[router]") {
  task_routes t;
  auto m = t.routes.match(http::verb::unknown, "/healthz");
  CHECK_FALSE(m.target);
  CHECK(m.pattern == "/healthz");
}

TEST_CASE("adding the same method and pattern again replaces the handler", "[router]") {
  std::string called;
  router routes;
  routes.add(http::verb::get, "/x", {}, named("first", called));
  routes.add(http::verb::get, "/x", {}, named("second", called));
  auto m = routes.match(http::verb::get, "/x");
  CHECK(call(m, called) == "second");
  CHECK(allow_list(m.allow) == methods{"GET", "HEAD"});
  CHECK(routes.routes().size() == 1);
}

TEST_CASE("the root pattern matches only the root path", "[router]") {
  std::string called;
  router routes;
  routes.add(http::verb::get, "/", {}, named("root", called));
  CHECK(call(routes.match(http::verb::get, "/"), called) == "root");
  CHECK(routes.match(http::verb::get, "//").pattern.empty());
  CHECK(routes.match(http::verb::get, "/x").pattern.empty());
}

TEST_CASE("routes() lists every method and pattern pair", "[router]") {
  task_routes t;
  std::vector<std::pair<std::string, std::string>> listed;
  for (const auto& route : t.routes.routes())
    listed.emplace_back(route.method, route.pattern);
  std::sort(listed.begin(), listed.end());
  CHECK(listed == std::vector<std::pair<std::string, std::string>>{
                      {"DELETE", "/api/v1/tasks/{id}"},
                      {"GET", "/api/v1/tasks"},
                      {"GET", "/api/v1/tasks/{id}"},
                      {"GET", "/healthz"},
                      {"PATCH", "/api/v1/tasks/{id}"},
                      {"POST", "/api/v1/tasks"},
                      {"POST", "/api/v1/tasks/{id}/comments/{comment}"},
                  });
}

TEST_CASE("an empty router matches nothing", "[router]") {
  router routes;
  auto m = routes.match(http::verb::get, "/");
  CHECK(m.pattern.empty());
  CHECK_FALSE(m.target);
  CHECK(routes.routes().empty());
}

// Literal segments outrank captures whatever the registration order, so a
// literal route next to a capture route of the same shape stays reachable.
TEST_CASE("a literal route is reachable next to a capture route registered first", "[router]") {
  std::string called;
  router routes;
  routes.add(http::verb::get, "/api/v1/tasks/{id}", {}, named("get", called));
  routes.add(http::verb::post, "/api/v1/tasks/search", {}, named("search", called));
  auto m = routes.match(http::verb::post, "/api/v1/tasks/search");
  REQUIRE(m.target);
  CHECK(call(m, called) == "search");
  CHECK(m.pattern == "/api/v1/tasks/search");
}

// HEAD falls back to the GET handler only when a route has no HEAD handler of
// its own, and Allow lists each method once.
TEST_CASE("an explicitly registered HEAD handler serves HEAD and is listed once", "[router]") {
  std::string called;
  router routes;
  routes.add(http::verb::get, "/x", {}, named("get", called));
  routes.add(http::verb::head, "/x", {}, named("head", called));
  auto m = routes.match(http::verb::head, "/x");
  CHECK(allow_list(m.allow) == methods{"GET", "HEAD"});
  CHECK(call(m, called) == "head");
}

TEST_CASE("a match carries the policy its route was registered with", "[router]") {
  std::string called;
  router routes;
  routes.add(http::verb::get, "/api/v1/tasks", {.scope = "tasks:read"}, named("list", called));
  routes.add(http::verb::post, "/api/v1/tasks", {.scope = "tasks:write", .idempotent = true}, named("create", called));
  routes.add(http::verb::get, "/healthz", {.who = access::anyone, .rate = rate_class::unlimited},
             named("healthz", called));

  auto post = routes.match(http::verb::post, "/api/v1/tasks");
  REQUIRE(post.target);
  CHECK(post.target->policy.scope == "tasks:write");
  CHECK(post.target->policy.idempotent);
  CHECK(post.target->policy.who == access::signed_in);
  // HEAD is the GET handler, so it is held to GET's policy.
  auto head = routes.match(http::verb::head, "/api/v1/tasks");
  REQUIRE(head.target);
  CHECK(head.target->policy.scope == "tasks:read");
  CHECK_FALSE(head.target->policy.idempotent);
  auto probe = routes.match(http::verb::get, "/healthz");
  REQUIRE(probe.target);
  CHECK(probe.target->policy.who == access::anyone);
  CHECK(probe.target->policy.rate == rate_class::unlimited);
}

TEST_CASE("a route that declares nothing needs a credential and is rate limited", "[router]") {
  route_policy unsaid;
  CHECK(unsaid.who == access::signed_in);
  CHECK(unsaid.rate == rate_class::client);
  CHECK(unsaid.scope.empty());
  CHECK_FALSE(unsaid.idempotent);
}
