// Version resolution (API.md "Versions"): the path, the api-version header and
// query parameter, and the vendor media type in Accept each name a version;
// none means the latest; sources must agree and name a supported version.
// Responses carry the supported list, and deprecated versions point at their
// successor.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "http-edge/middleware/api_version.hpp"

using namespace taskflow::edge;

namespace {

const std::vector<int> supported{1, 2};

resolved_api_version resolved(const api_version_sources& sources) {
  auto r = resolve_api_version(sources, supported);
  if (auto* p = std::get_if<problem>(&r))
    FAIL("unexpected problem: " << p->detail);
  return std::get<resolved_api_version>(r);
}

problem refused(const api_version_sources& sources) {
  auto r = resolve_api_version(sources, supported);
  REQUIRE(std::holds_alternative<problem>(r));
  auto p = std::get<problem>(r);
  CHECK(p.status == http::status::bad_request);
  return p;
}

api_version_sources on(std::string_view path) {
  api_version_sources s;
  s.path = path;
  return s;
}

}  // namespace

TEST_CASE("a version in the path is used as it is", "[api_version]") {
  auto v1 = resolved(on("/api/v1/tasks/x"));
  CHECK(v1.version == 1);
  CHECK(v1.versioned_path == "/api/v1/tasks/x");
  CHECK(v1.from_path);
  CHECK(resolved(on("/api/v2/tasks")).version == 2);
  CHECK(resolved(on("/api/v2")).versioned_path == "/api/v2");
}

TEST_CASE("an unversioned path without any source gets the latest version", "[api_version]") {
  auto r = resolved(on("/api/tasks/abc"));
  CHECK(r.version == 2);
  CHECK(r.versioned_path == "/api/v2/tasks/abc");
  CHECK_FALSE(r.from_path);
  CHECK(resolved(on("/api")).versioned_path == "/api/v2");
  CHECK(resolved(on("/api/")).versioned_path == "/api/v2/");
}

TEST_CASE("each of the three other sources picks the version of an unversioned path", "[api_version]") {
  auto header = on("/api/tasks");
  header.headers = {"1"};
  CHECK(resolved(header).versioned_path == "/api/v1/tasks");

  auto query = on("/api/tasks");
  query.query = {"1"};
  CHECK(resolved(query).versioned_path == "/api/v1/tasks");

  auto accept = on("/api/tasks");
  accept.accept = {"text/html, application/vnd.taskflow.v1+json;q=0.9, */*;q=0.1"};
  CHECK(resolved(accept).versioned_path == "/api/v1/tasks");

  auto upper = on("/api/tasks");
  upper.accept = {"Application/VND.TaskFlow.V1+JSON"};
  CHECK(resolved(upper).version == 1);
}

TEST_CASE("sources that agree are fine, with each other and with the path", "[api_version]") {
  auto s = on("/api/v1/tasks");
  s.headers = {"1"};
  s.query = {"1", "1"};
  s.accept = {"application/vnd.taskflow.v1+json", "application/json"};
  CHECK(resolved(s).version == 1);
}

TEST_CASE("sources that disagree are a 400 naming both", "[api_version]") {
  auto path_vs_header = on("/api/v1/tasks");
  path_vs_header.headers = {"2"};
  auto p = refused(path_vs_header);
  CHECK(p.slug == "api-version-conflict");
  CHECK(p.detail.find("path") != std::string::npos);
  CHECK(p.detail.find("api-version header") != std::string::npos);

  auto header_vs_query = on("/api/tasks");
  header_vs_query.headers = {"1"};
  header_vs_query.query = {"2"};
  CHECK(refused(header_vs_query).slug == "api-version-conflict");

  auto query_vs_query = on("/api/tasks");
  query_vs_query.query = {"1", "2"};
  CHECK(refused(query_vs_query).slug == "api-version-conflict");

  auto accept_vs_accept = on("/api/tasks");
  accept_vs_accept.accept = {"application/vnd.taskflow.v1+json, application/vnd.taskflow.v2+json"};
  CHECK(refused(accept_vs_accept).slug == "api-version-conflict");
}

TEST_CASE("an unknown version is a 400 that names the supported ones", "[api_version]") {
  for (auto path : {"/api/v3/tasks", "/api/v0/tasks", "/api/v01/tasks", "/api/v99999999/tasks"}) {
    auto p = refused(on(path));
    CHECK(p.slug == "unsupported-api-version");
    CHECK(p.detail.find("Supported versions: 1, 2.") != std::string::npos);
    CHECK(p.extensions["supported_versions"] == nlohmann::json::array({1, 2}));
  }
  for (auto text : {"3", "v2", "2.0", "+2", " two", "02", "-1"}) {
    auto s = on("/api/tasks");
    s.headers = {text};
    CHECK(refused(s).slug == "unsupported-api-version");
  }
  auto accept = on("/api/tasks");
  accept.accept = {"application/vnd.taskflow.vlatest+json"};
  CHECK(refused(accept).slug == "unsupported-api-version");
}

TEST_CASE("an unknown version wins over a conflict in the answer", "[api_version]") {
  auto s = on("/api/v1/tasks");
  s.headers = {"7"};
  CHECK(refused(s).slug == "unsupported-api-version");
}

TEST_CASE("empty values and unrelated media types name no version", "[api_version]") {
  auto s = on("/api/tasks");
  s.headers = {"", "  "};
  s.query = {""};
  s.accept = {"application/json", "*/*", "application/vnd.taskflow+json"};
  CHECK(resolved(s).version == 2);
}

TEST_CASE("a path segment that only looks like a version is part of the path", "[api_version]") {
  CHECK(resolved(on("/api/vnext/tasks")).versioned_path == "/api/v2/vnext/tasks");
  CHECK(resolved(on("/api/v/tasks")).versioned_path == "/api/v2/v/tasks");
}

TEST_CASE("only /api and what is under it is an API path", "[api_version]") {
  CHECK(is_api_path("/api"));
  CHECK(is_api_path("/api/v1/tasks"));
  CHECK_FALSE(is_api_path("/apix"));
  CHECK_FALSE(is_api_path("/healthz"));
  CHECK_FALSE(is_api_path("/"));
}

TEST_CASE("v1 responses say they are deprecated and link to the same resource in v2", "[api_version]") {
  request_context ctx;
  ctx.path = "/api/tasks/abc";
  ctx.request.set("api-version", "1");
  REQUIRE_FALSE(apply_api_version(ctx));
  CHECK(ctx.api_version == 1);
  CHECK(ctx.versioned_path == "/api/v1/tasks/abc");
  http_response res{http::status::ok, 11};
  add_api_version_headers(res, ctx);
  CHECK(res["api-supported-versions"] == "1, 2");
  CHECK(res["Deprecation"] == "true");
  CHECK(res[http::field::link] == "</api/v2/tasks/abc>; rel=\"successor-version\"");
  CHECK(res[http::field::vary] == "api-version, Accept");
}

TEST_CASE("a v1 resource that v2 does not serve is current, not deprecated", "[api_version]") {
  request_context ctx;
  ctx.path = "/api/v1/users/me";
  REQUIRE_FALSE(apply_api_version(ctx));
  http_response res{http::status::ok, 11};
  std::string asked;
  add_api_version_headers(res, ctx, [&](std::string_view path) {
    asked = path;
    return false;
  });
  CHECK(asked == "/api/v2/users/me");
  CHECK(res["api-supported-versions"] == "1, 2");
  CHECK(res["Deprecation"].empty());
  CHECK(res[http::field::link].empty());
}

TEST_CASE("v2 responses carry the supported versions and nothing about deprecation", "[api_version]") {
  request_context ctx;
  ctx.path = "/api/v2/tasks";
  REQUIRE_FALSE(apply_api_version(ctx));
  http_response res{http::status::ok, 11};
  add_api_version_headers(res, ctx);
  CHECK(res["api-supported-versions"] == "1, 2");
  CHECK(res["Deprecation"].empty());
  CHECK(res[http::field::link].empty());
  CHECK(res[http::field::vary].empty());
}

TEST_CASE("the middleware reads every source from the request", "[api_version]") {
  request_context ctx;
  ctx.path = "/api/tasks";
  ctx.query.emplace("api-version", "1");
  ctx.request.insert(http::field::accept, "application/vnd.taskflow.v2+json");
  auto p = apply_api_version(ctx);
  REQUIRE(p);
  CHECK(p->slug == "api-version-conflict");
}

TEST_CASE("paths outside /api are left alone and get no version headers", "[api_version]") {
  request_context ctx;
  ctx.path = "/healthz";
  ctx.request.set("api-version", "9");
  CHECK_FALSE(apply_api_version(ctx));
  CHECK(ctx.api_version == 0);
  http_response res{http::status::ok, 11};
  add_api_version_headers(res, ctx);
  CHECK(res["api-supported-versions"].empty());
}
