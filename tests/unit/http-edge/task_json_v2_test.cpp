// The v2 task shape of API.md: every documented field and no other, named
// priorities, the status with its change time, lists that merge-patch
// replaces as a whole, and the types each body field must have.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <variant>

#include "http-edge/v2/task_json_v2.hpp"

using namespace taskflow;
using nlohmann::json;

namespace {

const std::string alice = "01a20f1d-0000-7000-8000-00000000000a";
const std::string bob = "01a20f1d-0000-7000-8000-00000000000b";

template <class Command>
Command accepted(const std::variant<Command, edge::v2::field_errors>& result) {
  if (auto* errors = std::get_if<edge::v2::field_errors>(&result))
    for (const auto& e : *errors)
      UNSCOPED_INFO(e.field() << ": " << e.message());
  REQUIRE(std::holds_alternative<Command>(result));
  return std::get<Command>(result);
}

template <class Command>
std::vector<std::string> rejected_fields(const std::variant<Command, edge::v2::field_errors>& result) {
  REQUIRE(std::holds_alternative<edge::v2::field_errors>(result));
  std::vector<std::string> fields;
  for (const auto& e : std::get<edge::v2::field_errors>(result))
    fields.push_back(e.field());
  std::sort(fields.begin(), fields.end());
  return fields;
}

using fields = std::vector<std::string>;

messages::TaskSnapshot full_task() {
  messages::TaskSnapshot t;
  t.set_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  t.set_title("Ship v2");
  t.set_description("all of it");
  t.set_status(messages::TASK_STATUS_IN_PROGRESS);
  t.set_priority(4);
  t.add_assignees(alice);
  t.add_assignees(bob);
  t.set_due_at_ms(1'767'225'600'000);
  t.add_tags("api");
  t.add_tags("release");
  t.mutable_external_ref()->set_source("jira");
  t.mutable_external_ref()->set_id("OPS-7");
  t.set_owner_id(alice);
  t.set_created_at_ms(1000);
  t.set_updated_at_ms(3000);
  t.set_status_changed_at_ms(2000);
  t.set_version(3);
  return t;
}

}  // namespace

TEST_CASE("a v2 task has exactly the fields of API.md", "[task_json_v2]") {
  auto j = edge::v2::task_to_json(full_task());
  CHECK(j.size() == 13);
  CHECK(j["id"] == "01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  CHECK(j["title"] == "Ship v2");
  CHECK(j["description"] == "all of it");
  CHECK(j["state"] == json{{"status", "in_progress"}, {"changed_at", "1970-01-01T00:00:02.000Z"}});
  CHECK(j["priority"] == "urgent");
  CHECK(j["assignees"] == json::array({alice, bob}));
  CHECK(j["due_at"] == "2026-01-01T00:00:00.000Z");
  CHECK(j["tags"] == json::array({"api", "release"}));
  CHECK(j["external_ref"] == json{{"source", "jira"}, {"id", "OPS-7"}});
  CHECK(j["owner_id"] == alice);
  CHECK(j["created_at"] == "1970-01-01T00:00:01.000Z");
  CHECK(j["updated_at"] == "1970-01-01T00:00:03.000Z");
  CHECK(j["version"] == 3);
}

TEST_CASE("absent optional parts are null or empty in v2", "[task_json_v2]") {
  messages::TaskSnapshot t;
  t.set_priority(2);
  auto j = edge::v2::task_to_json(t);
  CHECK(j["due_at"].is_null());
  CHECK(j["external_ref"].is_null());
  CHECK(j["assignees"] == json::array());
  CHECK(j["tags"] == json::array());
  CHECK(j["priority"] == "medium");
}

TEST_CASE("priorities have names in v2", "[task_json_v2]") {
  CHECK(edge::v2::priority_name(1) == "low");
  CHECK(edge::v2::priority_name(2) == "medium");
  CHECK(edge::v2::priority_name(3) == "high");
  CHECK(edge::v2::priority_name(4) == "urgent");
  for (int p = 1; p <= 4; ++p)
    CHECK(edge::v2::parse_priority(edge::v2::priority_name(p)) == p);
  CHECK_FALSE(edge::v2::parse_priority("URGENT"));
  CHECK_FALSE(edge::v2::parse_priority("2"));
}

TEST_CASE("a v2 create body carries every v2 field", "[task_json_v2]") {
  auto c = accepted(edge::v2::create_from_json({{"title", "t"},
                                                {"description", "d"},
                                                {"priority", "high"},
                                                {"assignees", {alice, bob}},
                                                {"due_at", "2026-01-01T01:00:00+01:00"},
                                                {"tags", {"x"}},
                                                {"external_ref", {{"source", "gh"}, {"id", "42"}}},
                                                {"state", {{"status", "todo"}}},
                                                {"id", "ignored"},
                                                {"version", 9}}));
  CHECK(c.title() == "t");
  CHECK(c.description() == "d");
  CHECK(c.priority() == 3);
  CHECK(std::vector<std::string>(c.assignees().begin(), c.assignees().end()) == std::vector<std::string>{alice, bob});
  CHECK(c.due_at_ms() == 1'767'225'600'000);
  CHECK(c.tags_size() == 1);
  CHECK(c.external_ref().source() == "gh");
  CHECK(c.external_ref().id() == "42");
}

TEST_CASE("nulls in a v2 create body mean absent", "[task_json_v2]") {
  auto c = accepted(edge::v2::create_from_json({{"title", "t"},
                                                {"description", nullptr},
                                                {"priority", nullptr},
                                                {"assignees", nullptr},
                                                {"due_at", nullptr},
                                                {"tags", nullptr},
                                                {"external_ref", nullptr}}));
  CHECK_FALSE(c.has_priority());
  CHECK_FALSE(c.has_due_at_ms());
  CHECK_FALSE(c.has_external_ref());
  CHECK(c.assignees_size() == 0);
}

TEST_CASE("a v2 create body with wrong types names every bad field", "[task_json_v2]") {
  CHECK(rejected_fields(edge::v2::create_from_json({{"description", 5},
                                                    {"priority", 3},
                                                    {"assignees", alice},
                                                    {"tags", {1, 2}},
                                                    {"due_at", "tomorrow"},
                                                    {"external_ref", {{"source", "gh"}}},
                                                    {"state", {{"status", "done"}}}})) ==
        fields{"assignees", "description", "due_at", "external_ref", "priority", "state.status", "tags", "title"});
}

TEST_CASE("a v2 patch replaces lists, clears with null and moves the status", "[task_json_v2]") {
  auto u = accepted(edge::v2::update_from_json(
      {{"assignees", {bob}}, {"tags", nullptr}, {"due_at", nullptr}, {"state", {{"status", "done"}}}}));
  CHECK(u.replace_assignees());
  CHECK(u.assignees_size() == 1);
  CHECK(u.replace_tags());
  CHECK(u.tags_size() == 0);
  CHECK(u.clear_due_at());
  CHECK(u.status() == messages::TASK_STATUS_DONE);
  CHECK_FALSE(u.has_title());

  auto none = accepted(edge::v2::update_from_json({{"assignees", nullptr}, {"description", nullptr}}));
  CHECK(none.replace_assignees());
  CHECK(none.assignees_size() == 0);
  CHECK(none.description().empty());
  CHECK(none.has_description());
}

TEST_CASE("a v2 patch ignores read-only fields and keeps what is absent", "[task_json_v2]") {
  auto whole = edge::v2::task_to_json(full_task());
  auto u = accepted(edge::v2::update_from_json(whole));
  CHECK(u.title() == "Ship v2");
  CHECK(u.priority() == 4);
  CHECK(u.status() == messages::TASK_STATUS_IN_PROGRESS);
  auto empty = accepted(edge::v2::update_from_json(json::object()));
  CHECK_FALSE(empty.replace_assignees());
  CHECK_FALSE(empty.replace_tags());
  CHECK_FALSE(empty.has_status());
}

TEST_CASE("a v2 patch refuses removing what cannot be removed", "[task_json_v2]") {
  CHECK(rejected_fields(edge::v2::update_from_json({{"title", nullptr}, {"priority", nullptr}})) ==
        fields{"priority", "title"});
  CHECK(rejected_fields(edge::v2::update_from_json({{"state", {{"status", nullptr}}}})) == fields{"state.status"});
  CHECK(rejected_fields(edge::v2::update_from_json({{"state", "done"}})) == fields{"state"});
  CHECK(rejected_fields(edge::v2::update_from_json({{"state", {{"status", "finished"}}}})) == fields{"state.status"});
}
