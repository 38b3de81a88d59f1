// What a batch of events does to task views, before any SQL: per task the
// newest fresh event, whatever order the batch is in.
#include <catch2/catch.hpp>

#include "persistence/codec/view_projection.hpp"

using namespace taskflow;
using namespace taskflow::persistence;

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
  CHECK(view_projection::snapshot_of(*newest.at("a"))->title() == "a2");
  CHECK(newest.at("b")->has_task_deleted());
  CHECK(view_projection::view_version_of(*newest.at("b")) == 4);
}

TEST_CASE("events already in the inbox decide nothing", "[view_projection]") {
  std::vector<messages::EventEnvelope> events{updated("a", 1, "a1"), updated("a", 2, "a2")};
  auto newest = view_projection::newest_by_task(events, {true, false});
  CHECK(view_projection::snapshot_of(*newest.at("a"))->title() == "a1");
  CHECK(view_projection::newest_by_task(events, {false, false}).empty());
}

TEST_CASE("a view only moves forward, and a tombstone outranks older events", "[view_projection]") {
  CHECK(view_projection::moves_view(updated("a", 3, "x"), 2));
  CHECK_FALSE(view_projection::moves_view(updated("a", 2, "x"), 2));
  CHECK_FALSE(view_projection::moves_view(updated("a", 1, "x"), 4));
  CHECK(view_projection::moves_view(deleted("a", 5), 4));
  messages::EventEnvelope other;
  other.set_aggregate_id("a");
  other.set_version(9);
  CHECK(view_projection::view_version_of(other) == 0);
}
