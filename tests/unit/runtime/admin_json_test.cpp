// JSON of actor state and events for the admin API.
#include <catch2/catch.hpp>

#include "runtime/admin/admin_json.hpp"

using namespace taskflow;

TEST_CASE("messages become JSON with field names, numbers as numbers and enums by name", "[admin_json]") {
  messages::TaskSnapshot task;
  task.set_id("t1");
  task.set_title("Report");
  task.set_status(messages::TASK_STATUS_IN_PROGRESS);
  task.set_version(4);
  task.set_created_at_ms(1'700'000'000'123);
  task.add_tags("q3");
  auto json = runtime::message_to_json(task);
  CHECK(json["id"] == "t1");
  CHECK(json["title"] == "Report");
  CHECK(json["status"] == "TASK_STATUS_IN_PROGRESS");
  CHECK(json["version"] == 4);
  CHECK(json["created_at_ms"] == 1'700'000'000'123);
  CHECK(json["tags"] == nlohmann::json::array({"q3"}));
  CHECK(json["description"] == "");
  CHECK(json["assignees"] == nlohmann::json::array());
  // Unset optionals and messages are absent rather than zero.
  CHECK_FALSE(json.contains("due_at_ms"));
  CHECK_FALSE(json.contains("external_ref"));
  task.mutable_external_ref()->set_source("jira");
  CHECK(runtime::message_to_json(task)["external_ref"]["source"] == "jira");
}

TEST_CASE("an event becomes its envelope with the payload as data", "[admin_json]") {
  messages::EventEnvelope event;
  event.set_event_id("e1");
  event.set_aggregate_type("task");
  event.set_aggregate_id("t1");
  event.set_version(2);
  event.set_occurred_at_ms(5000);
  event.set_actor_id("u1");
  event.mutable_task_updated()->mutable_task()->set_title("New title");
  event.mutable_task_updated()->add_changed_fields("title");
  auto json = runtime::event_to_json(event);
  CHECK(json["event_id"] == "e1");
  CHECK(json["type"] == "task.updated");
  CHECK(json["version"] == 2);
  CHECK(json["occurred_at_ms"] == 5000);
  CHECK(json["actor_id"] == "u1");
  CHECK(json["data"]["task"]["title"] == "New title");
  CHECK(json["data"]["changed_fields"] == nlohmann::json::array({"title"}));
}

TEST_CASE("an API key's hash never leaves in an event", "[admin_json]") {
  messages::EventEnvelope event;
  event.set_aggregate_type("api_key");
  event.mutable_api_key_revoked()->set_user_id("u1");
  event.mutable_api_key_revoked()->set_key_hash("SECRETKEYHASH");
  auto text = runtime::event_to_json(event).dump();
  CHECK(text.find("SECRETKEYHASH") == std::string::npos);
  CHECK(text.find("u1") != std::string::npos);
}
