// The one JSON shape of a notification that the feed, the live stream and
// webhook deliveries share (API.md, Notifications).
#include <catch2/catch.hpp>

#include "messages/notification/notification_json.hpp"

using namespace taskflow;

namespace {

messages::Notification assigned() {
  messages::Notification n;
  n.set_id("0190a4b6-0000-7000-8000-000000000001");
  n.set_recipient_id("0190a4b6-0000-7000-8000-0000000000b0");
  n.set_type("task.assigned");
  n.set_task_id("0190a4b6-0000-7000-8000-0000000000aa");
  n.set_message("Ann assigned you \"Ship it\"");
  n.set_created_at_ms(1'795'549'640'123);
  return n;
}

}  // namespace

TEST_CASE("a notification has exactly the fields API.md names, and never its recipient", "[notification_json]") {
  auto json = messages::notification_to_json(assigned());
  CHECK(json == nlohmann::json{{"id", "0190a4b6-0000-7000-8000-000000000001"},
                               {"type", "task.assigned"},
                               {"task_id", "0190a4b6-0000-7000-8000-0000000000aa"},
                               {"message", "Ann assigned you \"Ship it\""},
                               {"created_at", "2026-11-24T19:47:20.123Z"},
                               {"read_at", nullptr}});
}

TEST_CASE("a read notification carries when it was read", "[notification_json]") {
  auto json = messages::notification_to_json(assigned(), 1'795'549'700'000);
  CHECK(json["read_at"] == "2026-11-24T19:48:20.000Z");
}
