// Idempotency-Key across edges: two nodes on one PostgreSQL share the key
// records (and the token signing keys), so a retry that lands on the other
// edge replays the first answer instead of running again.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

http_result post_with_key(http_client& c, const json& body, const std::string& key) {
  return c.request("POST", "/api/v2/tasks", body.dump(),
                   {{"Content-Type", "application/json"}, {"Idempotency-Key", key}});
}

}  // namespace

TEST_CASE("a retry on another edge replays the first edge's answer", "[e2e][idempotency][postgres]") {
  taskflow::testing::test_stack stack;
  server_process first{{"--postgres", stack.postgres_url(), "--node-id", "edge-a"}};
  server_process second{{"--postgres", stack.postgres_url(), "--node-id", "edge-b"}};
  http_client a{first.port()};
  auto bearer = "Bearer " + sign_in_as_admin(a)["access_token"].get<std::string>();
  http_client b{second.port()};
  // A token issued by one edge is good on the other: the keys are in the store.
  b.set_default_header("Authorization", bearer);

  const json body = {{"title", "Once across edges"}};
  auto original = post_with_key(a, body, "across-edges");
  REQUIRE(original.status == 201);
  auto retry = post_with_key(b, body, "across-edges");
  CHECK(retry.status == 201);
  CHECK(retry.header("idempotent-replayed") == "true");
  CHECK(retry.body == original.body);
  CHECK(retry.header("location") == original.header("location"));
  CHECK(post_with_key(b, {{"title", "Something else"}}, "across-edges").status == 422);

  auto id = original.json()["id"].get<std::string>();
  json page;
  for (int i = 0; i < 100; ++i) {
    page = b.get("/api/v2/tasks?limit=50").json();
    if (!page["items"].empty())
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  REQUIRE(page["items"].size() == 1);
  CHECK(page["items"][0]["id"] == id);
}
