// What a batch of events does to task views, before any SQL: per task the
// newest fresh event, whatever order the batch is in, and the row change it
// makes.
#include <catch2/catch.hpp>

#include "persistence/codec/proto_json.hpp"
#include "persistence/projection/view_projection.hpp"

using namespace taskflow;
using namespace taskflow::persistence;
using view_projection::change_of;
using view_projection::view_row;
using view_projection::view_tombstone;

namespace {

messages::EventEnvelope updated(const std::string& task, std::int64_t version, const std::string& title) {
  messages::EventEnvelope event;
  event.set_event_id(task + "-v" + std::to_string(version));
  event.set_aggregate_id(task);
  event.set_version(version);
  auto& snap = *event.mutable_task_updated()->mutable_task();
  snap.set_id(task);
  snap.set_version(version);
  snap.set_title(title);
  return event;
}

messages::EventEnvelope deleted(const std::string& task, std::int64_t version) {
  messages::EventEnvelope event;
  event.set_event_id(task + "-deleted");
  event.set_aggregate_id(task);
  event.set_version(version);
  event.mutable_task_deleted();
  return event;
}

}  // namespace

TEST_CASE("each task's view follows its newest fresh event, in any order", "[view_projection]") {
  std::vector<messages::EventEnvelope> events{updated("b", 3, "b3"), updated("a", 1, "a1"), deleted("b", 4),
                                              updated("a", 2, "a2"), updated("b", 2, "b2")};
  auto newest = view_projection::newest_by_task(events, std::vector<bool>(events.size(), true));
  REQUIRE(newest.size() == 2);
  CHECK(newest.begin()->first == "a");
  CHECK(newest.at("a")->event_id() == "a-v2");
  CHECK(newest.at("b")->event_id() == "b-deleted");
}

TEST_CASE("events already in the inbox decide nothing", "[view_projection]") {
  std::vector<messages::EventEnvelope> events{updated("a", 1, "a1"), updated("a", 2, "a2")};
  auto newest = view_projection::newest_by_task(events, {true, false});
  CHECK(newest.at("a")->event_id() == "a-v1");
  CHECK(view_projection::newest_by_task(events, {false, false}).empty());
}

TEST_CASE("events that shape no view are left out of a batch", "[view_projection]") {
  messages::EventEnvelope other;
  other.set_aggregate_id("a");
  other.set_version(9);
  std::vector<messages::EventEnvelope> events{updated("a", 1, "a1"), other};
  auto newest = view_projection::newest_by_task(events, {true, true});
  CHECK(newest.at("a")->event_id() == "a-v1");
  CHECK_FALSE(change_of(other, 0));
}

TEST_CASE("a view only moves forward, and a tombstone outranks older events", "[view_projection]") {
  CHECK(change_of(updated("a", 3, "x"), 2));
  CHECK_FALSE(change_of(updated("a", 2, "x"), 2));
  CHECK_FALSE(change_of(updated("a", 1, "x"), 4));
  auto gone = change_of(deleted("a", 5), 4);
  REQUIRE(gone);
  REQUIRE(std::holds_alternative<view_tombstone>(*gone));
  CHECK(std::get<view_tombstone>(*gone).id == "a");
  CHECK(std::get<view_tombstone>(*gone).version == 5);
  CHECK_FALSE(change_of(deleted("a", 5), 5));
}

TEST_CASE("a task's view row is the task as a list shows it, each assignee once", "[view_projection]") {
  auto event = updated("a", 3, "write it");
  auto& snap = *event.mutable_task_updated()->mutable_task();
  snap.set_owner_id("owner");
  snap.set_status(messages::TASK_STATUS_IN_PROGRESS);
  snap.set_created_at_ms(1000);
  snap.set_updated_at_ms(2000);
  for (const auto* who : {"bo", "al", "bo"})
    snap.add_assignees(who);

  auto change = change_of(event, 0);
  REQUIRE(change);
  REQUIRE(std::holds_alternative<view_row>(*change));
  const auto& row = std::get<view_row>(*change);
  CHECK(row.id == "a");
  CHECK(row.owner_id == "owner");
  CHECK(row.status == "in_progress");
  CHECK(row.version == 3);
  CHECK(row.created_at_ms == 1000);
  CHECK(row.updated_at_ms == 2000);
  CHECK(row.assignees == std::vector<std::string>{"bo", "al"});
  messages::TaskSnapshot stored;
  REQUIRE(from_json(row.task, stored));
  CHECK(stored.title() == "write it");
  CHECK(stored.assignees_size() == 3);
}

TEST_CASE("a reminder moves the view to its version", "[view_projection]") {
  messages::EventEnvelope event;
  event.set_aggregate_id("a");
  event.set_version(4);
  auto& due = *event.mutable_task_reminder_due();
  due.set_kind(messages::REMINDER_KIND_OVERDUE);
  due.mutable_task()->set_id("a");
  due.mutable_task()->set_version(4);
  due.mutable_task()->set_title("write it");
  auto change = change_of(event, 3);
  REQUIRE(change);
  REQUIRE(std::holds_alternative<view_row>(*change));
  CHECK(std::get<view_row>(*change).version == 4);
  CHECK_FALSE(change_of(event, 4));
}
