// Read your own writes: a list right after a create, a patch or a delete
// shows it, every time, whether the edge remembers the caller's last write or
// the client hands the write's TaskFlow-Position back.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

bool lists(const json& page, const std::string& id) {
  return std::any_of(page["items"].begin(), page["items"].end(), [&](const json& t) { return t["id"] == id; });
}

}  // namespace

TEST_CASE("a list right after a create shows it, 100 times out of 100", "[e2e][tasks][consistency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  int seen = 0;
  for (int i = 0; i < 100; ++i) {
    auto created = c.post_json("/api/v2/tasks", {{"title", "task " + std::to_string(i)}});
    REQUIRE(created.status == 201);
    CHECK_FALSE(created.header("taskflow-position").empty());
    auto listed = c.get("/api/v2/tasks?limit=5");
    REQUIRE(listed.status == 200);
    CHECK(listed.header("taskflow-consistency") == "read-your-writes");
    seen += lists(listed.json(), created.json()["id"]) ? 1 : 0;
  }
  CHECK(seen == 100);
}

TEST_CASE("a patch and a delete are seen by the next list, through either version", "[e2e][tasks][consistency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto created = c.post_json("/api/v1/tasks", {{"title", "Draft"}});
  REQUIRE(created.status == 201);
  std::string id = created.json()["id"];
  auto patched = c.patch_json("/api/v1/tasks/" + id, {{"title", "Final"}}, "\"1\"");
  REQUIRE(patched.status == 200);
  CHECK(patched.header("taskflow-position") == id + ":2");
  auto v2 = c.get("/api/v2/tasks").json();
  REQUIRE(lists(v2, id));
  CHECK(v2["items"][0]["title"] == "Final");
  auto deleted = c.request("DELETE", "/api/v1/tasks/" + id);
  REQUIRE(deleted.status == 204);
  CHECK(deleted.header("taskflow-position") == id + ":deleted");
  CHECK_FALSE(lists(c.get("/api/v1/tasks").json(), id));
}

TEST_CASE("a client may hand the position back, and a bad one is refused", "[e2e][tasks][consistency]") {
  server_process server;
  http_client c{server.port()};
  auto grant = sign_in_as_admin(c);
  auto created = c.post_json("/api/v2/tasks", {{"title", "Handed back"}});
  REQUIRE(created.status == 201);
  auto position = created.header("taskflow-position");
  // Another connection, as if through another edge: the header carries it.
  http_client other{server.port()};
  other.set_default_header("Authorization", "Bearer " + grant["access_token"].get<std::string>());
  auto listed = other.get("/api/v2/tasks", {{"TaskFlow-Read-After", position}});
  REQUIRE(listed.status == 200);
  CHECK(listed.header("taskflow-consistency") == "read-your-writes");
  CHECK(lists(listed.json(), created.json()["id"]));

  auto bad = other.get("/api/v2/tasks", {{"TaskFlow-Read-After", "not-a-position"}});
  CHECK(bad.status == 400);
  CHECK(bad.header("content-type") == "application/problem+json");
  // A position the read model never reaches: the list still answers, and says so.
  auto never = other.get("/api/v2/tasks", {{"TaskFlow-Read-After", created.json()["id"].get<std::string>() + ":99"}});
  REQUIRE(never.status == 200);
  CHECK(never.header("taskflow-consistency") == "stale");
}
