// Acknowledged writes survive kill -9: state through the actor, and the read
// model through the outbox relay replaying whatever was not yet projected.
#include <catch2/catch.hpp>

#include <thread>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

TEST_CASE("kill -9 after 201s loses nothing, and the list catches up", "[e2e][durability]") {
  server_process server;
  std::vector<json> acknowledged;
  {
    http_client c{server.port()};
    sign_in_as_admin(c);
    for (int i = 0; i < 30; ++i) {
      auto r = c.post_json("/api/v1/tasks", {{"title", "durable " + std::to_string(i)}});
      REQUIRE(r.status == 201);
      acknowledged.push_back(r.json());
    }
    auto last = acknowledged.back()["id"].get<std::string>();
    REQUIRE(c.patch_json("/api/v1/tasks/" + last, {{"title", "patched before crash"}}, "\"1\"").status == 200);
  }
  server.restart();

  http_client c{server.port()};

  sign_in_as_admin(c);
  for (const auto& t : acknowledged) {
    auto r = c.get("/api/v1/tasks/" + t["id"].get<std::string>());
    REQUIRE(r.status == 200);
    CHECK(r.json()["created_at"] == t["created_at"]);
  }
  CHECK(c.get("/api/v1/tasks/" + acknowledged.back()["id"].get<std::string>()).json()["title"] ==
        "patched before crash");
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{2};
  json page;
  do {
    page = c.get("/api/v1/tasks?page_size=200").json();
    if (page["total"] == 30 && page["items"][0]["title"] == "patched before crash")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  } while (std::chrono::steady_clock::now() < until);
  CHECK(page["total"] == 30);
  CHECK(page["items"][0]["title"] == "patched before crash");
}

TEST_CASE("writes after a restart continue the version sequence", "[e2e][durability]") {
  server_process server;
  std::string path;
  {
    http_client c{server.port()};
    sign_in_as_admin(c);
    auto r = c.post_json("/api/v1/tasks", {{"title", "v1"}});
    path = r.header("location");
    REQUIRE(c.patch_json(path, {{"title", "v2"}}, "\"1\"").status == 200);
  }
  server.restart();
  http_client c{server.port()};
  sign_in_as_admin(c);
  CHECK(c.patch_json(path, {{"title", "stale"}}, "\"1\"").status == 412);
  auto r = c.patch_json(path, {{"title", "v3"}}, "\"2\"");
  REQUIRE(r.status == 200);
  CHECK(r.json()["version"] == 3);
}
