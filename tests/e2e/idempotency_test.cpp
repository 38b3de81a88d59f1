// Idempotency-Key through the running binary: one execution per key however
// many times and however concurrently it is sent, replays with the first
// answer (also after a crash and restart), 422 for a different body under a
// used key, 400 for bad keys; and natural-key repeats that create nothing.
// Keys belong to the authenticated principal, and the identity endpoints,
// whose answers hold secrets, never store one.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

http_result post_with_key(http_client& c, const std::string& target, const json& body, const std::string& key) {
  return c.request("POST", target, body.dump(), {{"Content-Type", "application/json"}, {"Idempotency-Key", key}});
}

// Waits until the read model has settled on `expected` tasks, then checks
// that it stays there.
void expect_task_count(http_client& c, int expected) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{2};
  json page;
  do {
    page = c.get("/api/v1/tasks?page_size=200").json();
    if (page["total"] == expected)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  } while (std::chrono::steady_clock::now() < until);
  std::this_thread::sleep_for(std::chrono::milliseconds{200});
  CHECK(c.get("/api/v1/tasks?page_size=200").json()["total"] == expected);
}

}  // namespace

TEST_CASE("50 concurrent POSTs with one key create exactly one task", "[e2e][idempotency]") {
  server_process server;
  http_client c{server.port()};
  auto bearer = "Bearer " + sign_in_as_admin(c)["access_token"].get<std::string>();
  const json body = {{"title", "Exactly once"}};
  constexpr int clients = 50;
  std::vector<http_result> answers(clients);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&, i] {
      http_client c{server.port()};
      c.set_default_header("Authorization", bearer);
      ++ready;
      while (ready < clients)
        std::this_thread::yield();
      answers[i] = post_with_key(c, "/api/v2/tasks", body, "one-key-for-all");
    });
  for (auto& t : threads)
    t.join();

  int originals = 0, replays = 0, in_flight = 0;
  std::string first_body, first_location;
  for (const auto& r : answers) {
    INFO(r.status << " " << r.body);
    REQUIRE((r.status == 201 || r.status == 409));
    if (r.status == 409) {
      ++in_flight;
      CHECK(r.json()["type"] == "/problems/idempotency-key-in-use");
      CHECK(r.header("retry-after") == "1");
      continue;
    }
    (r.header("idempotent-replayed") == "true" ? replays : originals)++;
    if (first_body.empty()) {
      first_body = r.body;
      first_location = r.header("location");
    }
    CHECK(r.body == first_body);
    CHECK(r.header("location") == first_location);
    CHECK(r.header("etag") == "\"1\"");
  }
  CHECK(originals == 1);
  CHECK(originals + replays + in_flight == clients);
  expect_task_count(c, 1);
  // Once the first has finished, every retry is a replay.
  auto late = post_with_key(c, "/api/v2/tasks", body, "one-key-for-all");
  CHECK(late.status == 201);
  CHECK(late.header("idempotent-replayed") == "true");
  CHECK(late.body == first_body);
}

TEST_CASE("a replay repeats status, body, Location and ETag and runs nothing", "[e2e][idempotency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto first = post_with_key(c, "/api/v1/tasks", {{"title", "Once"}}, "\"quoted key 1\"");
  REQUIRE(first.status == 201);
  CHECK(first.header("idempotent-replayed").empty());
  auto again = post_with_key(c, "/api/v1/tasks", {{"title", "Once"}}, "\"quoted key 1\"");
  CHECK(again.status == 201);
  CHECK(again.header("idempotent-replayed") == "true");
  CHECK(again.body == first.body);
  CHECK(again.header("location") == first.header("location"));
  CHECK(again.header("etag") == first.header("etag"));
  CHECK(again.header("content-type") == first.header("content-type"));
  CHECK(again.header("deprecation") == "true");
  expect_task_count(c, 1);
  // Without a key, the same request is a new task.
  REQUIRE(c.post_json("/api/v1/tasks", {{"title", "Once"}}).status == 201);
  expect_task_count(c, 2);
}

TEST_CASE("a replay after a crash and restart still replays", "[e2e][idempotency]") {
  server_process server;
  std::string path;
  http_result first, patched;
  {
    http_client c{server.port()};
    sign_in_as_admin(c);
    first = post_with_key(c, "/api/v2/tasks", {{"title", "Survives"}}, "restart-key");
    REQUIRE(first.status == 201);
    path = first.header("location");
    patched = c.request(
        "PATCH", path, json{{"title", "Patched once"}}.dump(),
        {{"Content-Type", "application/merge-patch+json"}, {"If-Match", "\"1\""}, {"Idempotency-Key", "patch-key"}});
    REQUIRE(patched.status == 200);
  }
  server.restart();
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto again = post_with_key(c, "/api/v2/tasks", {{"title", "Survives"}}, "restart-key");
  CHECK(again.status == 201);
  CHECK(again.header("idempotent-replayed") == "true");
  CHECK(again.body == first.body);
  CHECK(again.header("location") == path);
  // The PATCH replays its 200 rather than failing its now-stale If-Match.
  auto patch_again = c.request(
      "PATCH", path, json{{"title", "Patched once"}}.dump(),
      {{"Content-Type", "application/merge-patch+json"}, {"If-Match", "\"1\""}, {"Idempotency-Key", "patch-key"}});
  CHECK(patch_again.status == 200);
  CHECK(patch_again.header("idempotent-replayed") == "true");
  CHECK(patch_again.body == patched.body);
  CHECK(patch_again.header("etag") == "\"2\"");
  CHECK(c.get(path).json()["version"] == 2);
  expect_task_count(c, 1);
}

TEST_CASE("the same key with a different body is 422 and runs nothing", "[e2e][idempotency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  REQUIRE(post_with_key(c, "/api/v2/tasks", {{"title", "First"}}, "reused").status == 201);
  auto changed = post_with_key(c, "/api/v2/tasks", {{"title", "Second"}}, "reused");
  CHECK(changed.status == 422);
  CHECK(changed.header("content-type") == "application/problem+json");
  CHECK(changed.json()["type"] == "/problems/idempotency-key-reused");
  // Another path under the same key is another request too.
  CHECK(post_with_key(c, "/api/v1/tasks", {{"title", "First"}}, "reused").status == 422);
  expect_task_count(c, 1);
}

TEST_CASE("the version source does not change what counts as the same request", "[e2e][idempotency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto first = post_with_key(c, "/api/v2/tasks", {{"title", "Same"}}, "k-sources");
  REQUIRE(first.status == 201);
  auto via_header = c.request("POST", "/api/tasks", json{{"title", "Same"}}.dump(),
                              {{"Content-Type", "application/json"}, {"Idempotency-Key", "k-sources"}});
  CHECK(via_header.status == 201);
  CHECK(via_header.header("idempotent-replayed") == "true");
  CHECK(via_header.body == first.body);
}

TEST_CASE("bad keys are 400 and run nothing", "[e2e][idempotency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  CHECK(post_with_key(c, "/api/v2/tasks", {{"title", "x"}}, std::string(255, 'k')).status == 201);
  auto too_long = post_with_key(c, "/api/v2/tasks", {{"title", "y"}}, std::string(256, 'k'));
  CHECK(too_long.status == 400);
  CHECK(too_long.json()["type"] == "/problems/invalid-idempotency-key");
  CHECK(post_with_key(c, "/api/v2/tasks", {{"title", "y"}}, "\"unterminated").status == 400);
  expect_task_count(c, 1);
}

TEST_CASE("natural-key repeats create nothing, with or without a key", "[e2e][idempotency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto first = c.post_json("/api/v2/tasks", {{"title", "Imported"}, {"external_ref", {{"source", "gh"}, {"id", "7"}}}});
  REQUIRE(first.status == 201);
  auto id = first.json()["id"].get<std::string>();

  auto v2_repeat =
      c.post_json("/api/v2/tasks", {{"title", "Again"}, {"external_ref", {{"source", "gh"}, {"id", "7"}}}});
  CHECK(v2_repeat.status == 409);
  CHECK(v2_repeat.header("location") == "/api/v2/tasks/" + id);
  auto v1_repeat = c.post_json("/api/v1/tasks", {{"title", "Again"}, {"source", "gh"}, {"external_id", "7"}});
  CHECK(v1_repeat.status == 409);
  CHECK(v1_repeat.header("location") == "/api/v1/tasks/" + id);
  auto keyed = post_with_key(c, "/api/v2/tasks",
                             {{"title", "Again"}, {"external_ref", {{"source", "gh"}, {"id", "7"}}}}, "natural");
  CHECK(keyed.status == 409);
  auto keyed_again = post_with_key(c, "/api/v2/tasks",
                                   {{"title", "Again"}, {"external_ref", {{"source", "gh"}, {"id", "7"}}}}, "natural");
  CHECK(keyed_again.status == 409);
  CHECK(keyed_again.header("idempotent-replayed") == "true");
  CHECK(keyed_again.header("location") == "/api/v2/tasks/" + id);
  expect_task_count(c, 1);
}

TEST_CASE("keys are scoped by principal: another user's same key is a new request", "[e2e][idempotency]") {
  server_process server;
  http_client admin{server.port()};
  sign_in_as_admin(admin);
  http_client other{server.port()};
  REQUIRE(other
              .post_json("/api/v1/users",
                         {{"email", "other@taskflow.test"}, {"password", "other-password"}, {"display_name", "Other"}})
              .status == 201);
  sign_in(other, "other@taskflow.test", "other-password");

  auto mine = post_with_key(admin, "/api/v2/tasks", {{"title", "Shared key"}}, "shared-key");
  REQUIRE(mine.status == 201);
  auto theirs = post_with_key(other, "/api/v2/tasks", {{"title", "Shared key"}}, "shared-key");
  REQUIRE(theirs.status == 201);
  CHECK(theirs.header("idempotent-replayed").empty());
  CHECK(theirs.json()["id"] != mine.json()["id"]);
  CHECK(theirs.json()["owner_id"] != mine.json()["owner_id"]);
  // A different body under the other user's key is still only their conflict.
  CHECK(post_with_key(other, "/api/v2/tasks", {{"title", "Changed"}}, "shared-key").status == 422);
  CHECK(post_with_key(admin, "/api/v2/tasks", {{"title", "Shared key"}}, "shared-key").header("idempotent-replayed") ==
        "true");
}

TEST_CASE("identity endpoints ignore Idempotency-Key and never replay a secret", "[e2e][idempotency]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  json key_request = {{"name", "ci"}, {"scopes", {"tasks:read"}}};
  auto first = post_with_key(c, "/api/v1/api-keys", key_request, "identity-key");
  auto second = post_with_key(c, "/api/v1/api-keys", key_request, "identity-key");
  REQUIRE(first.status == 201);
  REQUIRE(second.status == 201);
  CHECK(second.header("idempotent-replayed").empty());
  CHECK(first.json()["key"] != second.json()["key"]);

  json credentials = {{"email", test_admin_email}, {"password", test_admin_password}};
  auto session = post_with_key(c, "/api/v1/sessions", credentials, "sign-in-key");
  auto session_again = post_with_key(c, "/api/v1/sessions", credentials, "sign-in-key");
  REQUIRE(session.status == 201);
  REQUIRE(session_again.status == 201);
  CHECK(session_again.header("idempotent-replayed").empty());
  CHECK(session.json()["refresh_token"] != session_again.json()["refresh_token"]);
}
