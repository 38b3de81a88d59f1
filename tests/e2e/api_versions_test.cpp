// API versions through the running binary: the path, the api-version header,
// the api-version query parameter and the vendor media type all reach the
// same resource the same way; conflicts and unknown versions are 400; every
// /api response lists the supported versions; v1 points to its successor.
// Authentication and scopes hold for every version and for unversioned paths.
#include <catch2/catch.hpp>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

struct variant_request {
  std::string name;
  std::string target;
  std::map<std::string, std::string> headers;
};

// The four ways to ask for version `v` of `rest` (e.g. "/tasks/<id>").
std::vector<variant_request> four_sources(int v, const std::string& rest) {
  auto n = std::to_string(v);
  auto sep = rest.find('?') == std::string::npos ? "?" : "&";
  return {
      {"path", "/api/v" + n + rest, {}},
      {"header", "/api" + rest, {{"api-version", n}}},
      {"query", "/api" + rest + sep + "api-version=" + n, {}},
      {"accept", "/api" + rest, {{"Accept", "application/vnd.taskflow.v" + n + "+json"}}},
  };
}

// The parts of an answer that must not depend on how the version was named.
struct answer {
  int status;
  std::string body, etag, location, content_type, deprecation, link, supported;
  bool operator==(const answer&) const = default;
};

answer answer_of(const http_result& r) {
  return {r.status,
          r.body,
          r.header("etag"),
          r.header("location"),
          r.header("content-type"),
          r.header("deprecation"),
          r.header("link"),
          r.header("api-supported-versions")};
}

}  // namespace

TEST_CASE("a read gives the same answer through each of the four version sources", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto created = c.post_json("/api/v2/tasks", {{"title", "Versioned"}, {"assignees", json::array()}});
  REQUIRE(created.status == 201);
  auto id = created.json()["id"].get<std::string>();

  for (int v : {1, 2}) {
    auto sources = four_sources(v, "/tasks/" + id);
    auto reference = answer_of(c.get(sources[0].target, sources[0].headers));
    CHECK(reference.status == 200);
    for (const auto& s : sources) {
      INFO("v" << v << " through the " << s.name);
      auto r = c.get(s.target, s.headers);
      CHECK(answer_of(r) == reference);
      CHECK(r.json()["id"] == id);
    }
    auto missing = four_sources(v, "/tasks/01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
    auto not_found = answer_of(c.get(missing[0].target, missing[0].headers));
    for (const auto& s : missing) {
      auto r = c.get(s.target, s.headers);
      CHECK(r.status == 404);
      CHECK(r.header("deprecation") == not_found.deprecation);
    }
  }
}

TEST_CASE("a create gives the same kind of answer through each of the four version sources", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  for (int v : {1, 2}) {
    for (const auto& s : four_sources(v, "/tasks")) {
      INFO("v" << v << " through the " << s.name);
      auto headers = s.headers;
      headers["Content-Type"] = "application/json";
      auto r = c.request("POST", s.target, json{{"title", "via " + s.name}}.dump(), headers);
      REQUIRE(r.status == 201);
      auto t = r.json();
      CHECK(r.header("location") == "/api/v" + std::to_string(v) + "/tasks/" + t["id"].get<std::string>());
      CHECK(t.contains(v == 1 ? "status" : "state"));
      CHECK(t.size() == 13);
    }
  }
}

TEST_CASE("lists answer the same through each source", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  for (int i = 0; i < 3; ++i)
    REQUIRE(c.post_json("/api/v2/tasks", {{"title", "t" + std::to_string(i)}}).status == 201);
  auto sources = four_sources(2, "/tasks?limit=2");
  json reference;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{1};
  do {
    reference = c.get(sources[0].target).json();
  } while (!reference["next_cursor"].is_string() && std::chrono::steady_clock::now() < until);
  REQUIRE(reference["items"].size() == 2);
  for (const auto& s : sources) {
    INFO(s.name);
    CHECK(c.get(s.target, s.headers).json() == reference);
  }
}

TEST_CASE("no version at all means the latest, v2", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto r = c.post_json("/api/tasks", {{"title", "Latest"}});
  REQUIRE(r.status == 201);
  CHECK(r.json().contains("state"));
  CHECK(r.header("location").rfind("/api/v2/tasks/", 0) == 0);
  CHECK(r.header("vary") == "api-version, Accept");
  CHECK(c.get("/api/tasks").json().contains("next_cursor"));
}

TEST_CASE("sources that disagree are 400", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  std::vector<http_result> conflicts{
      c.get("/api/v1/tasks", {{"api-version", "2"}}),
      c.get("/api/v2/tasks?api-version=1"),
      c.get("/api/tasks?api-version=1", {{"api-version", "2"}}),
      c.get("/api/tasks", {{"api-version", "1"}, {"Accept", "application/vnd.taskflow.v2+json"}}),
      c.get("/api/v1/tasks", {{"Accept", "application/vnd.taskflow.v2+json"}}),
  };
  for (const auto& r : conflicts) {
    CHECK(r.status == 400);
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK(r.json()["type"] == "/problems/api-version-conflict");
    CHECK(r.header("api-supported-versions") == "1, 2");
  }
}

TEST_CASE("unknown versions are 400 naming the supported versions", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  std::vector<http_result> unknown{
      c.get("/api/v3/tasks"),
      c.get("/api/tasks", {{"api-version", "3"}}),
      c.get("/api/tasks?api-version=0"),
      c.get("/api/tasks", {{"Accept", "application/vnd.taskflow.v9+json"}}),
      c.post_json("/api/v3/tasks", {{"title", "never"}}),
  };
  for (const auto& r : unknown) {
    CHECK(r.status == 400);
    auto p = r.json();
    CHECK(p["type"] == "/problems/unsupported-api-version");
    CHECK(p["supported_versions"] == json::array({1, 2}));
    CHECK(p["detail"].get<std::string>().find("Supported versions: 1, 2") != std::string::npos);
    CHECK(r.header("api-supported-versions") == "1, 2");
  }
}

TEST_CASE("v1 is deprecated with a link to the same resource in v2, v2 is not", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto created = c.post_json("/api/v1/tasks", {{"title", "Old client"}});
  REQUIRE(created.status == 201);
  auto id = created.json()["id"].get<std::string>();
  CHECK(created.header("deprecation") == "true");
  CHECK(created.header("link") == "</api/v2/tasks>; rel=\"successor-version\"");
  auto got = c.get("/api/v1/tasks/" + id);
  CHECK(got.header("deprecation") == "true");
  CHECK(got.header("link") == "</api/v2/tasks/" + id + ">; rel=\"successor-version\"");
  auto modern = c.get("/api/v2/tasks/" + id);
  CHECK(modern.status == 200);
  CHECK(modern.header("deprecation").empty());
  CHECK(modern.header("link").empty());
  CHECK(modern.header("api-supported-versions") == "1, 2");
  // Errors and unknown routes under /api carry the versions too; other paths do not.
  CHECK(c.get("/api/v2/nothing-here").header("api-supported-versions") == "1, 2");
  CHECK(c.get("/healthz").header("api-supported-versions").empty());
}

TEST_CASE("each version serves its OpenAPI 3.1 document, to anyone", "[e2e][versions]") {
  server_process server;
  http_client c{server.port()};
  for (int v : {1, 2}) {
    auto r = c.get("/api/v" + std::to_string(v) + "/openapi.json");
    REQUIRE(r.status == 200);
    auto doc = r.json();
    CHECK(doc["openapi"] == "3.1.0");
    CHECK(doc["info"]["version"] == std::to_string(v));
  }
  CHECK(c.get("/api/openapi.json").json()["info"]["version"] == "2");
}

TEST_CASE("every version's task routes need a credential and the right scope", "[e2e][versions][identity]") {
  server_process server;
  http_client anonymous{server.port()};
  for (const auto* target : {"/api/v1/tasks", "/api/v2/tasks", "/api/tasks", "/api/tasks?api-version=1"}) {
    INFO(target);
    auto r = anonymous.get(target);
    CHECK(r.status == 401);
    CHECK_FALSE(r.header("www-authenticate").empty());
    CHECK(r.header("api-supported-versions") == "1, 2");
  }
  CHECK(anonymous.post_json("/api/tasks", {{"title", "x"}}).status == 401);
  // Unknown routes and wrong methods answer as such before any credential check.
  CHECK(anonymous.get("/api/v2/nothing-here").status == 404);
  CHECK(anonymous.request("PUT", "/api/v2/tasks").status == 405);

  http_client admin{server.port()};
  sign_in_as_admin(admin);
  auto key = admin.post_json("/api/v1/api-keys", {{"name", "reader"}, {"scopes", {"tasks:read"}}}).json()["key"];
  http_client reader{server.port()};
  reader.set_default_header("X-API-Key", key.get<std::string>());
  CHECK(reader.get("/api/v2/tasks").status == 200);
  CHECK(reader.get("/api/tasks").status == 200);
  for (const auto* target : {"/api/v1/tasks", "/api/v2/tasks", "/api/tasks"}) {
    INFO(target);
    auto r = reader.post_json(target, {{"title", "not allowed"}});
    CHECK(r.status == 403);
    CHECK(r.header("www-authenticate").find("insufficient_scope") != std::string::npos);
  }
}

TEST_CASE("identity lives in v1 only, which is current for it: no deprecation there", "[e2e][versions][identity]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto me = c.get("/api/v1/users/me");
  CHECK(me.status == 200);
  CHECK(me.header("deprecation").empty());
  CHECK(me.header("link").empty());
  CHECK(me.header("api-supported-versions") == "1, 2");
  CHECK(c.get("/api/v2/users/me").status == 404);
}
