// The Notifications section of API.md through the running binary: the feed,
// marking read, and the live stream with Last-Event-ID, its limits and its
// end when the credential lapses.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "tests/e2e/support/event_stream.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json create_task(http_client& c, const account& as, const json& body) {
  auto r = c.post_json("/api/v1/tasks", body, as.auth());
  REQUIRE(r.status == 201);
  return r.json();
}

json move_task(http_client& c, const account& as, const json& task, const std::string& status) {
  auto r = c.request("PATCH", "/api/v1/tasks/" + task["id"].get<std::string>(), json{{"status", status}}.dump(),
                     {{"Content-Type", "application/merge-patch+json"},
                      {"If-Match", "\"" + std::to_string(task["version"].get<int>()) + "\""},
                      {"Authorization", "Bearer " + as.token}});
  REQUIRE(r.status == 200);
  return r.json();
}

json feed(http_client& c, const account& as, const std::string& query = {}) {
  auto r = c.get("/api/v1/notifications" + query, as.auth());
  REQUIRE(r.status == 200);
  return r.json();
}

// Waits for the feed to hold `count` notifications (the consumer writes it
// moments after the commit).
json feed_of_size(http_client& c, const account& as, std::size_t count) {
  json page;
  for (int i = 0; i < 100; ++i) {
    page = feed(c, as);
    if (page["items"].size() >= count)
      break;
    std::this_thread::sleep_for(50ms);
  }
  return page;
}

auto has_events(std::size_t n) {
  return [n](const std::vector<sse_event>& events) { return events.size() >= n; };
}

std::vector<std::string> ids_of(const std::vector<sse_event>& events) {
  std::vector<std::string> ids;
  for (const auto& e : events)
    ids.push_back(e.id);
  return ids;
}

}  // namespace

TEST_CASE("an assignment reaches the assignee's open stream and feed, and not the one who made it",
          "[e2e][notifications]") {
  server_process server;
  http_client c{server.port()};
  auto ann = sign_up(c, "ann@example.com");
  auto bob = sign_up(c, "bob@example.com");
  event_stream bobs{server.port(), "/api/v1/events", bob.auth()};
  REQUIRE(bobs.status() == 200);
  CHECK(bobs.wire().find("Content-Type: text/event-stream") != std::string::npos);

  auto task = create_task(c, ann, {{"title", "Ship it"}, {"assignee_id", bob.id}});
  auto started = std::chrono::steady_clock::now();
  auto got = bobs.wait_for(has_events(1), 10s);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  INFO("the stream took " << took.count() << " ms; " << bobs.wire());
  REQUIRE(got.size() == 1);
  CHECK(got[0].event == "task.assigned");
  auto streamed = json::parse(got[0].data);
  CHECK(streamed["id"] == got[0].id);
  CHECK(streamed["type"] == "task.assigned");
  CHECK(streamed["task_id"] == task["id"]);
  CHECK(streamed["message"].get<std::string>().find("Ship it") != std::string::npos);
  CHECK(streamed["read_at"].is_null());

  auto page = feed_of_size(c, bob, 1);
  REQUIRE(page["items"].size() == 1);
  CHECK(page["items"][0] == streamed);
  CHECK(page["next_cursor"].is_null());
  // Ann made the change: nothing for her.
  CHECK(feed(c, ann)["items"].empty());
}

TEST_CASE("a status change tells owner and assignees, and read marks and pages behave", "[e2e][notifications]") {
  server_process server;
  http_client c{server.port()};
  auto ann = sign_up(c, "ann@example.com");
  auto bob = sign_up(c, "bob@example.com");
  auto task = create_task(c, ann, {{"title", "Write docs"}, {"assignee_id", bob.id}});
  task = move_task(c, bob, task, "in_progress");
  task = move_task(c, ann, task, "done");

  // Bob: assigned, then Ann's move to done (not his own move).
  auto bobs = feed_of_size(c, bob, 2);
  REQUIRE(bobs["items"].size() == 2);
  CHECK(bobs["items"][0]["type"] == "task.status_changed");
  CHECK(bobs["items"][1]["type"] == "task.assigned");
  // Ann: Bob's move only.
  auto anns = feed_of_size(c, ann, 1);
  REQUIRE(anns["items"].size() == 1);
  CHECK(anns["items"][0]["type"] == "task.status_changed");
  CHECK(anns["items"][0]["message"].get<std::string>().find("in_progress") != std::string::npos);

  auto first = feed(c, bob, "?limit=1");
  REQUIRE(first["items"].size() == 1);
  REQUIRE(first["next_cursor"].is_string());
  auto second = feed(c, bob, "?limit=1&cursor=" + first["next_cursor"].get<std::string>());
  REQUIRE(second["items"].size() == 1);
  CHECK(second["items"][0]["id"] == bobs["items"][1]["id"]);
  CHECK(second["next_cursor"].is_null());

  std::string assigned = bobs["items"][1]["id"];
  auto read = c.request("POST", "/api/v1/notifications/" + assigned + "/read", "", bob.auth());
  CHECK(read.status == 204);
  CHECK(c.request("POST", "/api/v1/notifications/" + assigned + "/read", "", bob.auth()).status == 204);
  // Someone else's notification, and ids that are none, are not found.
  auto foreign = c.request("POST", "/api/v1/notifications/" + assigned + "/read", "", ann.auth());
  CHECK(foreign.status == 404);
  CHECK(foreign.header("content-type") == "application/problem+json");
  CHECK(c.request("POST", "/api/v1/notifications/not-an-id/read", "", bob.auth()).status == 404);

  auto unread = feed(c, bob, "?unread=true");
  REQUIRE(unread["items"].size() == 1);
  CHECK(unread["items"][0]["type"] == "task.status_changed");
  auto all = feed(c, bob);
  CHECK(all["items"][1]["read_at"].is_string());

  auto bad = c.get("/api/v1/notifications?unread=yes&limit=500", bob.auth());
  REQUIRE(bad.status == 400);
  CHECK(bad.json()["errors"].size() == 2);
  // A cursor of the unread list does not continue the whole one.
  auto unread_page = feed(c, bob, "?unread=true&limit=1");
  CHECK(unread_page["next_cursor"].is_null());
  auto edited =
      c.get("/api/v1/notifications?cursor=" + first["next_cursor"].get<std::string>() + "&unread=true", bob.auth());
  CHECK(edited.status == 400);
  CHECK(c.get("/api/v1/notifications").status == 401);
}

TEST_CASE("a stream resumed with Last-Event-ID misses nothing and repeats nothing", "[e2e][notifications]") {
  server_process server;
  http_client c{server.port()};
  auto ann = sign_up(c, "ann@example.com");
  auto bob = sign_up(c, "bob@example.com");
  std::vector<json> tasks;
  std::string last_seen;
  std::vector<std::string> seen;
  {
    event_stream first{server.port(), "/api/v1/events", bob.auth()};
    REQUIRE(first.status() == 200);
    for (int i = 0; i < 3; ++i)
      tasks.push_back(create_task(c, ann, {{"title", "Early " + std::to_string(i)}, {"assignee_id", bob.id}}));
    auto got = first.wait_for(has_events(3), 10s);
    REQUIRE(got.size() == 3);
    seen = ids_of(got);
    last_seen = got.back().id;
  }
  // While Bob is away: three more.
  for (int i = 0; i < 3; ++i)
    tasks.push_back(create_task(c, ann, {{"title", "Late " + std::to_string(i)}, {"assignee_id", bob.id}}));
  feed_of_size(c, bob, 6);

  auto headers = bob.auth();
  headers["Last-Event-ID"] = last_seen;
  event_stream resumed{server.port(), "/api/v1/events", headers};
  REQUIRE(resumed.status() == 200);
  auto missed = resumed.wait_for(has_events(3), 10s);
  REQUIRE(missed.size() == 3);
  // And what comes next arrives live.
  create_task(c, ann, {{"title", "Live"}, {"assignee_id", bob.id}});
  auto all = resumed.wait_for(has_events(4), 10s);
  REQUIRE(all.size() == 4);
  std::this_thread::sleep_for(500ms);
  CHECK(resumed.events().size() == 4);
  for (const auto& e : ids_of(all))
    seen.push_back(e);
  std::set<std::string> unique(seen.begin(), seen.end());
  CHECK(unique.size() == 7);
  std::set<std::string> in_feed;
  auto bobs_feed = feed_of_size(c, bob, 7);
  for (const auto& item : bobs_feed["items"])
    in_feed.insert(item["id"].get<std::string>());
  CHECK(in_feed == unique);

  auto bad_id = bob.auth();
  bad_id["Last-Event-ID"] = "garbage";
  event_stream refused{server.port(), "/api/v1/events", bad_id};
  CHECK(refused.status() == 400);
}

TEST_CASE("a stream ends when its session is signed out", "[e2e][notifications]") {
  server_process server;
  http_client c{server.port()};
  auto bob = sign_up(c, "bob@example.com");
  event_stream stream{server.port(), "/api/v1/events", bob.auth()};
  REQUIRE(stream.status() == 200);
  CHECK_FALSE(stream.ended(300ms));
  auto out = c.request("DELETE", "/api/v1/sessions/current", "", bob.auth());
  REQUIRE(out.status == 204);
  CHECK(stream.ended(5s));
}

TEST_CASE("a stream ends when its access token expires", "[e2e][notifications]") {
  server_process server{{"--access-token-ttl-s", "10"}};
  http_client c{server.port()};
  auto bob = sign_up(c, "bob@example.com");
  event_stream stream{server.port(), "/api/v1/events", bob.auth()};
  REQUIRE(stream.status() == 200);
  CHECK_FALSE(stream.ended(5s));
  CHECK(stream.ended(10s));
}

TEST_CASE("streams beyond the per-user and per-node limits get 503 with Retry-After", "[e2e][notifications]") {
  server_process server{{"--max-event-streams-per-user", "2", "--max-event-streams", "3"}};
  http_client c{server.port()};
  auto ann = sign_up(c, "ann@example.com");
  auto bob = sign_up(c, "bob@example.com");
  auto one = std::make_unique<event_stream>(server.port(), "/api/v1/events", bob.auth());
  event_stream two{server.port(), "/api/v1/events", bob.auth()};
  REQUIRE(one->status() == 200);
  REQUIRE(two.status() == 200);
  {
    event_stream three{server.port(), "/api/v1/events", bob.auth()};
    CHECK(three.status() == 503);
    CHECK(three.wire().find("Retry-After: ") != std::string::npos);
    CHECK(three.wire().find("application/problem+json") != std::string::npos);
  }
  event_stream anns{server.port(), "/api/v1/events", ann.auth()};
  REQUIRE(anns.status() == 200);
  auto carol = sign_up(c, "carol@example.com");
  event_stream full{server.port(), "/api/v1/events", carol.auth()};
  CHECK(full.status() == 503);
  auto metrics = c.get("/metrics");
  CHECK(metrics.body.find("taskflow_notification_streams_refused_total{limit=\"user\"}") != std::string::npos);
  CHECK(metrics.body.find("taskflow_notification_streams_refused_total{limit=\"node\"}") != std::string::npos);

  // A stream that closes frees its place once the server notices.
  one.reset();
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
    event_stream again{server.port(), "/api/v1/events", bob.auth()};
    status = again.status();
  }
  CHECK(status == 200);
}
