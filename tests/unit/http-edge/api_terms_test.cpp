// The runtime's admin JSON in the API's terms.
#include <catch2/catch.hpp>

#include "http-edge/admin/api_terms.hpp"

using namespace taskflow;
using nlohmann::json;

TEST_CASE("a task's state reads as v2 writes it", "[api_terms]") {
  auto state = edge::in_api_terms(json{{"title", "Report"},
                                       {"status", "TASK_STATUS_IN_PROGRESS"},
                                       {"priority", 3},
                                       {"created_at_ms", 1'700'000'000'123},
                                       {"status_changed_at_ms", 0},
                                       {"tags", {"q3"}},
                                       {"version", 4}});
  CHECK(state["status"] == "in_progress");
  CHECK(state["priority"] == "high");
  CHECK(state["created_at"] == "2023-11-14T22:13:20.123Z");
  CHECK(state["status_changed_at"].is_null());
  CHECK_FALSE(state.contains("created_at_ms"));
  CHECK(state["tags"] == json::array({"q3"}));
  CHECK(state["version"] == 4);
}

TEST_CASE("names are translated by field, so a title keeps its text", "[api_terms]") {
  auto state = edge::in_api_terms(json{{"title", "TASK_STATUS_DONE"}, {"description", "priority 3"}});
  CHECK(state["title"] == "TASK_STATUS_DONE");
  CHECK(state["description"] == "priority 3");
}

TEST_CASE("nested payloads, status changes and durations", "[api_terms]") {
  auto payload = edge::in_api_terms(json{{"from", "TASK_STATUS_TODO"},
                                         {"to", "TASK_STATUS_DONE"},
                                         {"task", {{"updated_at_ms", 1000}, {"priority", 1}}},
                                         {"session", {{"access_ttl_ms", 900000}, {"revoke_until_ms", 2000}}}});
  CHECK(payload["from"] == "todo");
  CHECK(payload["to"] == "done");
  CHECK(payload["task"]["updated_at"] == "1970-01-01T00:00:01.000Z");
  CHECK(payload["task"]["priority"] == "low");
  CHECK(payload["session"]["access_ttl_ms"] == 900000);
  CHECK(payload["session"]["revoke_until"] == "1970-01-01T00:00:02.000Z");
}
