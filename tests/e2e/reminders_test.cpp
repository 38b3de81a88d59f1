// Due-date reminders against the real binary: a reminder due while the node
// was down (killed with SIGKILL) rings exactly once after it starts again,
// as one committed event and one notification in the owner's feed, and a
// backlog tells only that the task is overdue. Reminders are observed as the
// task's committed events through the admin API and in the feed.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "tests/e2e/support/eventually.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/e2e/support/wall_time.hpp"

using namespace taskflow::e2e;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Scans every 100 ms, so the test need not wait out the default 10 s.
const std::vector<std::string> fast_wheel{"--reminder-lead-ms",    "1000", "--reminder-scan-ms", "100",
                                          "--reminder-horizon-ms", "2000"};

std::vector<json> reminders_of(http_client& c, const std::string& id) {
  auto r = c.get("/admin/api/actors/task/" + id);
  REQUIRE(r.status == 200);
  auto shown = r.json();
  std::vector<json> found;
  for (const auto& e : shown["recent_events"])
    if (e["type"] == "task.reminder_due")
      found.push_back(e);
  return found;
}

// The types of the signed-in person's notifications about task `id`, newest first.
std::vector<std::string> feed_about(http_client& c, const std::string& id) {
  auto r = c.get("/api/v1/notifications?limit=100");
  REQUIRE(r.status == 200);
  auto page = r.json();
  std::vector<std::string> types;
  for (const auto& n : page["items"])
    if (n["task_id"] == id)
      types.push_back(n["type"].get<std::string>());
  return types;
}

// A task due at `due`, made by whoever `c` is signed in as; answers its id.
std::string create_due(http_client& c, const std::string& title, std::chrono::system_clock::time_point due) {
  auto r = c.post_json("/api/v1/tasks", {{"title", title}, {"due_date", rfc3339(due)}});
  REQUIRE(r.status == 201);
  return r.json()["id"].get<std::string>();
}

}  // namespace

TEST_CASE("a reminder due during downtime rings exactly once after start", "[e2e][reminders]") {
  server_process server{fast_wheel};
  std::string id;
  auto due = std::chrono::system_clock::now() + 3s;
  {
    http_client c{server.port()};
    sign_in_as_admin(c);
    id = create_due(c, "Ship it", due);
    // Neither reminder is due yet: due soon comes 1 s before the due date.
    CHECK(reminders_of(c, id).empty());
  }
  server.kill9();
  // Both reminders come due while the node is down.
  std::this_thread::sleep_until(due + 1s);
  server.start();

  http_client c{server.port()};
  sign_in_as_admin(c);
  REQUIRE(eventually([&] { return !reminders_of(c, id).empty(); }, 5s));
  // Many scans later, still one: a backlog tells only the latest reminder, once.
  std::this_thread::sleep_for(1500ms);
  auto reminders = reminders_of(c, id);
  REQUIRE(reminders.size() == 1);
  CHECK(reminders[0]["summary"] == "reminder: overdue");
  CHECK(reminders[0]["version"] == 2);
  // Nobody edited the task, so what a client sees of it, ETag included, is as it was.
  auto task = c.get("/api/v1/tasks/" + id);
  CHECK(task.json()["version"] == 1);
  CHECK(task.header("etag") == "\"1\"");
  // The owner is told once, through the same consumer as every notification.
  CHECK(eventually([&] { return !feed_about(c, id).empty(); }, 5s));
  CHECK(feed_about(c, id) == std::vector<std::string>{"task.overdue"});

  // The mark is durable: another crash and start ring nothing more.
  server.restart();
  http_client again{server.port()};
  sign_in_as_admin(again);
  std::this_thread::sleep_for(1500ms);
  CHECK(reminders_of(again, id).size() == 1);
  CHECK(feed_about(again, id) == std::vector<std::string>{"task.overdue"});
}

TEST_CASE("a due date set a moment ahead rings due soon and then overdue, each once", "[e2e][reminders]") {
  server_process server{fast_wheel};
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto due = std::chrono::system_clock::now() + 2500ms;
  auto id = create_due(c, "Soon", due);
  REQUIRE(eventually([&] { return reminders_of(c, id).size() == 2; }, 6s));
  std::this_thread::sleep_for(1s);
  auto reminders = reminders_of(c, id);
  REQUIRE(reminders.size() == 2);
  // Newest first.
  CHECK(reminders[0]["summary"] == "reminder: overdue");
  CHECK(reminders[1]["summary"] == "reminder: due soon");
  // Not before its time (how late is the reminder lag metric's business, not a test's).
  CHECK(reminders[0]["occurred_at"].get<std::string>() >= rfc3339(due));
  CHECK(eventually([&] { return feed_about(c, id).size() == 2; }, 5s));
  CHECK(feed_about(c, id) == std::vector<std::string>{"task.overdue", "task.due_soon"});
  // The ETag from the create still matches: reminders are no one's edit.
  auto patched = c.patch_json("/api/v1/tasks/" + id, {{"title", "Soon, renamed"}}, "\"1\"");
  CHECK(patched.status == 200);
  CHECK(patched.json()["version"] == 4);
}

TEST_CASE("completing a task cancels its reminders", "[e2e][reminders]") {
  server_process server{fast_wheel};
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto due = std::chrono::system_clock::now() + 2s;
  auto id = create_due(c, "Done early", due);
  REQUIRE(c.patch_json("/api/v1/tasks/" + id, {{"status", "in_progress"}}, "\"1\"").status == 200);
  REQUIRE(c.patch_json("/api/v1/tasks/" + id, {{"status", "done"}}, "\"2\"").status == 200);
  std::this_thread::sleep_until(due + 1500ms);
  CHECK(reminders_of(c, id).empty());
  CHECK(feed_about(c, id).empty());
}

TEST_CASE("a reminder rung for a sampled write is a trace of its own, linked to the write's",
          "[e2e][reminders][traces]") {
  std::vector<std::string> flags = fast_wheel;
  flags.insert(flags.end(), {"--trace-sample-ratio", "0"});
  server_process server{flags};
  http_client c{server.port()};
  sign_in_as_admin(c);
  const std::string write_trace = "7cf92f3577b34da6a3ce929d0e0e4736";
  auto due = std::chrono::system_clock::now() + 1500ms;
  auto created = c.post_json("/api/v1/tasks", {{"title", "Traced"}, {"due_date", rfc3339(due)}},
                             {{"traceparent", "00-" + write_trace + "-30f067aa0ba902b7-01"}});
  REQUIRE(created.status == 201);
  auto id = created.json()["id"].get<std::string>();
  REQUIRE(eventually([&] { return reminders_of(c, id).size() == 1; }, 6s));

  // The reminder's event names the ring's trace, not the write's.
  auto event = reminders_of(c, id).front();
  auto ring_trace = event["traceparent"].get<std::string>().substr(3, 32);
  CHECK(ring_trace != write_trace);
  http_result found;
  REQUIRE(eventually(
      [&] {
        found = c.get("/admin/api/traces/" + ring_trace);
        return found.status == 200;
      },
      5s));
  auto trace = found.json();
  std::map<std::string, json> by_name;
  for (const auto& s : trace["spans"])
    by_name[s["name"].get<std::string>()] = s;
  REQUIRE(by_name.count("reminder ring") == 1);
  REQUIRE(by_name.count("task remind") == 1);
  const auto& ring = by_name["reminder ring"];
  REQUIRE(ring["links"].size() == 1);
  CHECK(ring["links"][0]["trace_id"] == write_trace);
  CHECK(by_name["task remind"]["parent_span_id"] == ring["span_id"]);
}
