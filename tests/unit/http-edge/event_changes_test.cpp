// Domain events read as one line and a diff of what changed.
#include <catch2/catch.hpp>

#include "http-edge/admin/event_changes.hpp"

using namespace taskflow;
using nlohmann::json;

namespace {

json task(const std::string& title, const std::string& status, int priority, int version) {
  return {{"id", "t1"},
          {"title", title},
          {"status", status},
          {"priority", priority},
          {"tags", json::array()},
          {"description", ""},
          {"version", version},
          {"updated_at_ms", 1000 * version}};
}

json event(const std::string& type, int version, json data) {
  return {{"event_id", "e" + std::to_string(version) + type},
          {"type", type},
          {"aggregate_type", "task"},
          {"aggregate_id", "t1"},
          {"version", version},
          {"occurred_at_ms", 1'700'000'000'000},
          {"actor_id", "u1"},
          {"data", std::move(data)}};
}

}  // namespace

TEST_CASE("each event shows what it changed against the one before", "[event_changes]") {
  std::vector<json> newest_first{
      event("task.updated", 3,
            {{"task", task("Renamed", "TASK_STATUS_TODO", 4, 3)}, {"changed_fields", {"title", "priority"}}}),
      event("task.created", 1, {{"task", task("Report", "TASK_STATUS_TODO", 2, 1)}}),
  };
  auto events = edge::readable_events(newest_first, 20);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["changes"] ==
        json{{"title", {{"from", "Report"}, {"to", "Renamed"}}}, {"priority", {{"from", "medium"}, {"to", "urgent"}}}});
  CHECK(events[0]["summary"] == "priority medium → urgent, title Report → Renamed by u1");
  CHECK(events[0]["occurred_at"] == "2023-11-14T22:13:20.000Z");
  CHECK_FALSE(events[0].contains("data"));
  // A creation changes every field from nothing; blanks and bookkeeping are left out.
  CHECK(events[1]["changes"]["title"] == json{{"from", nullptr}, {"to", "Report"}});
  CHECK(events[1]["changes"]["status"]["to"] == "todo");
  CHECK_FALSE(events[1]["changes"].contains("description"));
  CHECK_FALSE(events[1]["changes"].contains("version"));
  CHECK(events[1]["summary"] == "created “Report” by u1");
}

TEST_CASE("an update and a status change of one command are each credited with their own fields", "[event_changes]") {
  auto after = task("Renamed through the API", "TASK_STATUS_IN_PROGRESS", 2, 2);
  std::vector<json> newest_first{
      event("task.status_changed", 2,
            {{"from", "TASK_STATUS_TODO"}, {"to", "TASK_STATUS_IN_PROGRESS"}, {"task", after}}),
      event("task.updated", 2, {{"task", after}, {"changed_fields", {"title"}}}),
      event("task.created", 1, {{"task", task("Browser test task", "TASK_STATUS_TODO", 2, 1)}}),
  };
  auto events = edge::readable_events(newest_first, 20);
  REQUIRE(events.size() == 3);
  CHECK(events[0]["summary"] == "status todo → in_progress by u1");
  CHECK(events[0]["changes"] == json{{"status", {{"from", "todo"}, {"to", "in_progress"}}}});
  CHECK(events[1]["summary"] == "title “Browser test task” → “Renamed through the API” by u1");
  CHECK(events[1]["changes"].size() == 1);
}

TEST_CASE("the event beyond those shown is only the before of the oldest", "[event_changes]") {
  std::vector<json> newest_first{
      event("task.updated", 2, {{"task", task("B", "TASK_STATUS_TODO", 2, 2)}, {"changed_fields", {"title"}}}),
      event("task.created", 1, {{"task", task("A", "TASK_STATUS_TODO", 2, 1)}}),
  };
  auto events = edge::readable_events(newest_first, 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["changes"]["title"] == json{{"from", "A"}, {"to", "B"}});
}

TEST_CASE("with nothing before it an event shows what it names, new values only", "[event_changes]") {
  auto one = edge::readable_event(
      event("task.updated", 5, {{"task", task("B", "TASK_STATUS_TODO", 2, 5)}, {"changed_fields", {"title"}}}));
  CHECK(one["changes"] == json{{"title", {{"to", "B"}}}});
  CHECK(one["summary"] == "title → B by u1");
  auto deleted = edge::readable_event(event("task.deleted", 6, {{"owner_id", "u1"}}));
  CHECK(deleted["changes"] == json{{"deleted", {{"from", false}, {"to", true}}}});
  CHECK(deleted["summary"] == "deleted by u1");
}

TEST_CASE("an event without a snapshot changes the fields it carries", "[event_changes]") {
  json opened = event("session.opened", 1, {{"session", {{"generation", 1}, {"user_id", "u1"}}}});
  json refreshed = event("session.refreshed", 2, {{"generation", 2}, {"refreshed_at_ms", 5000}});
  refreshed["actor_id"] = "";
  auto events = edge::readable_events({refreshed, opened}, 20);
  CHECK(events[0]["changes"] == json{{"generation", {{"from", 1}, {"to", 2}}},
                                     {"refreshed_at", {{"from", nullptr}, {"to", "1970-01-01T00:00:05.000Z"}}}});
  CHECK(events[0]["actor_id"].is_null());
  CHECK(events[0]["summary"] == "generation 1 → 2, refreshed_at none → 1970-01-01T00:00:05.000Z");
}

TEST_CASE("long values are left to the diff", "[event_changes]") {
  std::string long_text(80, 'x');
  auto one = edge::readable_event(
      event("task.updated", 2, {{"task", {{"description", long_text}}}, {"changed_fields", {"description"}}}));
  CHECK(one["summary"] == "description changed by u1");
  CHECK(one["changes"]["description"]["to"] == long_text);
}
