// The v1 task shape of API.md: request bodies are checked for JSON types only
// (values are the domain's job), PATCH follows JSON merge patch (RFC 7396), and
// the response carries exactly the documented fields.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <variant>

#include "http-edge/v1/task_json_v1.hpp"

using namespace taskflow;
using nlohmann::json;

namespace {

template <class Command>
Command accepted(const std::variant<Command, edge::v1::field_errors>& result) {
  if (auto* errors = std::get_if<edge::v1::field_errors>(&result)) {
    for (const auto& e : *errors)
      UNSCOPED_INFO(e.field() << ": " << e.message());
  }
  REQUIRE(std::holds_alternative<Command>(result));
  return std::get<Command>(result);
}

// The fields named by the errors, sorted, so a test states every field it expects.
template <class Command>
std::vector<std::string> rejected_fields(const std::variant<Command, edge::v1::field_errors>& result) {
  REQUIRE(std::holds_alternative<edge::v1::field_errors>(result));
  std::vector<std::string> fields;
  for (const auto& e : std::get<edge::v1::field_errors>(result)) {
    CHECK_FALSE(e.message().empty());
    fields.push_back(e.field());
  }
  std::sort(fields.begin(), fields.end());
  return fields;
}

using fields = std::vector<std::string>;

messages::CreateTask create(const json& body) {
  return accepted(edge::v1::create_from_json(body));
}

fields create_errors(const json& body) {
  return rejected_fields(edge::v1::create_from_json(body));
}

messages::UpdateTask update(const json& body) {
  return accepted(edge::v1::update_from_json(body));
}

fields update_errors(const json& body) {
  return rejected_fields(edge::v1::update_from_json(body));
}

messages::TaskSnapshot full_snapshot() {
  messages::TaskSnapshot task;
  task.set_id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  task.set_title("Write tests");
  task.set_description("for the edge");
  task.set_status(messages::TASK_STATUS_IN_PROGRESS);
  task.set_priority(3);
  task.add_assignees("user-a");
  task.add_assignees("user-b");
  task.set_due_at_ms(1'795'549'640'123);
  task.mutable_external_ref()->set_source("jira");
  task.mutable_external_ref()->set_id("TF-1");
  task.set_owner_id("owner-1");
  task.set_created_at_ms(0);
  task.set_updated_at_ms(1'000);
  task.set_version(7);
  task.add_tags("v2-only");
  return task;
}

const json wrong_types = json::array({1, 2.5, true, json::array(), json::object()});

}  // namespace

// --- create -----------------------------------------------------------------

TEST_CASE("create needs only a title", "[task_json_v1]") {
  auto cmd = create({{"title", "x"}});
  CHECK(cmd.title() == "x");
  CHECK(cmd.description().empty());
  CHECK_FALSE(cmd.has_priority());
  CHECK(cmd.assignees().empty());
  CHECK_FALSE(cmd.has_due_at_ms());
  CHECK_FALSE(cmd.has_external_ref());
}

TEST_CASE("create reads every v1 field", "[task_json_v1]") {
  auto cmd = create({{"title", "Write tests"},
                     {"description", "all of them"},
                     {"priority", 4},
                     {"assignee_id", "user-a"},
                     {"due_date", "2026-11-24T20:47:20.123+01:00"},
                     {"source", "jira"},
                     {"external_id", "TF-1"},
                     {"status", "todo"}});
  CHECK(cmd.title() == "Write tests");
  CHECK(cmd.description() == "all of them");
  CHECK(cmd.priority() == 4);
  REQUIRE(cmd.assignees_size() == 1);
  CHECK(cmd.assignees(0) == "user-a");
  CHECK(cmd.due_at_ms() == 1'795'549'640'123);
  CHECK(cmd.external_ref().source() == "jira");
  CHECK(cmd.external_ref().id() == "TF-1");
}

TEST_CASE("create requires a title", "[task_json_v1]") {
  CHECK(create_errors(json::object()) == fields{"title"});
  CHECK(create_errors({{"title", nullptr}}) == fields{"title"});
  CHECK(create_errors({{"Title", "x"}}) == fields{"title"});
}

TEST_CASE("create refuses a title that is not a string", "[task_json_v1]") {
  for (const auto& value : wrong_types) {
    CAPTURE(value.dump());
    CHECK(create_errors({{"title", value}}) == fields{"title"});
  }
}

TEST_CASE("create leaves title values to the domain", "[task_json_v1]") {
  CHECK(create({{"title", ""}}).title().empty());
  CHECK(create({{"title", std::string(5'000, 't')}}).title().size() == 5'000);
}

TEST_CASE("create treats null optional fields as absent", "[task_json_v1]") {
  auto cmd = create({{"title", "x"},
                     {"description", nullptr},
                     {"priority", nullptr},
                     {"assignee_id", nullptr},
                     {"due_date", nullptr},
                     {"source", nullptr},
                     {"external_id", nullptr},
                     {"status", nullptr}});
  CHECK(cmd.description().empty());
  CHECK_FALSE(cmd.has_priority());
  CHECK(cmd.assignees().empty());
  CHECK_FALSE(cmd.has_due_at_ms());
  CHECK_FALSE(cmd.has_external_ref());
}

TEST_CASE("create refuses string fields of another JSON type", "[task_json_v1]") {
  auto field = GENERATE(as<std::string>{}, "description", "assignee_id", "due_date", "status");
  for (const auto& value : wrong_types) {
    CAPTURE(field, value.dump());
    CHECK(create_errors({{"title", "x"}, {field, value}}) == fields{field});
  }
}

TEST_CASE("create refuses a priority that is not an integer", "[task_json_v1]") {
  for (const json& value : {json(2.0), json(2.5), json("2"), json(true), json::array({2}), json::object()}) {
    CAPTURE(value.dump());
    CHECK(create_errors({{"title", "x"}, {"priority", value}}) == fields{"priority"});
  }
}

TEST_CASE("create passes an out-of-range integer priority on for the domain to refuse", "[task_json_v1]") {
  CHECK(create({{"title", "x"}, {"priority", 0}}).priority() == 0);
  CHECK(create({{"title", "x"}, {"priority", 5}}).priority() == 5);
  CHECK(create({{"title", "x"}, {"priority", -3}}).priority() < 1);
}

TEST_CASE("a priority too wide for int never wraps into 1..4", "[task_json_v1]") {
  // 2^32 + 1 truncated to 32 bits would be 1, a valid priority.
  for (const json& value :
       {json(4'294'967'297LL), json(4'294'967'300LL), json(-4'294'967'295LL),
        json(std::numeric_limits<std::int64_t>::max()), json(std::numeric_limits<std::int64_t>::min()),
        json(std::numeric_limits<std::uint64_t>::max()), json(std::uint64_t{9'223'372'036'854'775'809U})}) {
    CAPTURE(value.dump());
    auto priority = create({{"title", "x"}, {"priority", value}}).priority();
    CHECK((priority < 1 || priority > 4));
  }
}

TEST_CASE("create refuses a due date that is not RFC 3339", "[task_json_v1]") {
  for (const char* text :
       {"", "tomorrow", "2026-11-24", "2026-11-24T19:47:20", "2026-02-30T00:00:00Z", "1795549640123"}) {
    CAPTURE(text);
    CHECK(create_errors({{"title", "x"}, {"due_date", text}}) == fields{"due_date"});
  }
}

TEST_CASE("create takes source and external_id only together", "[task_json_v1]") {
  CHECK(create_errors({{"title", "x"}, {"source", "jira"}}) == fields{"external_id"});
  CHECK(create_errors({{"title", "x"}, {"external_id", "TF-1"}}) == fields{"source"});
  CHECK(create_errors({{"title", "x"}, {"source", "jira"}, {"external_id", nullptr}}) == fields{"external_id"});
  CHECK(create_errors({{"title", "x"}, {"source", nullptr}, {"external_id", "TF-1"}}) == fields{"source"});
  auto mistyped = create_errors({{"title", "x"}, {"source", 1}, {"external_id", "TF-1"}});
  CHECK(std::set<std::string>(mistyped.begin(), mistyped.end()) == std::set<std::string>{"source"});
}

TEST_CASE("create starts every task as todo", "[task_json_v1]") {
  CHECK(create({{"title", "x"}, {"status", "todo"}}).title() == "x");
  for (const char* status : {"in_progress", "done", "cancelled", "TODO", "Todo", " todo", "", "unknown"}) {
    CAPTURE(status);
    CHECK(create_errors({{"title", "x"}, {"status", status}}) == fields{"status"});
  }
}

TEST_CASE("create reports every bad field at once", "[task_json_v1]") {
  CHECK(create_errors({{"title", 1},
                       {"description", 2},
                       {"priority", "high"},
                       {"assignee_id", 3},
                       {"due_date", "soon"},
                       {"source", "jira"},
                       {"status", "done"}}) ==
        fields{"assignee_id", "description", "due_date", "external_id", "priority", "status", "title"});
}

TEST_CASE("create ignores fields that are not part of a new task", "[task_json_v1]") {
  auto cmd = create({{"title", "x"}, {"id", "forged"}, {"owner_id", "someone-else"}, {"version", 99}, {"tags", 1}});
  CHECK(cmd.title() == "x");
  CHECK(cmd.tags().empty());
}

TEST_CASE("create on a JSON value that is not an object reports the missing title", "[task_json_v1]") {
  CHECK(create_errors(json::array({{"title", "x"}})) == fields{"title"});
  CHECK(create_errors(json("title")) == fields{"title"});
  CHECK(create_errors(json(nullptr)) == fields{"title"});
}

// --- update (merge patch) ---------------------------------------------------

TEST_CASE("an empty patch changes nothing", "[task_json_v1]") {
  auto cmd = update(json::object());
  CHECK_FALSE(cmd.has_title());
  CHECK_FALSE(cmd.has_description());
  CHECK_FALSE(cmd.has_priority());
  CHECK_FALSE(cmd.has_status());
  CHECK_FALSE(cmd.replace_assignees());
  CHECK(cmd.assignees().empty());
  CHECK_FALSE(cmd.has_due_at_ms());
  CHECK_FALSE(cmd.clear_due_at());
  CHECK_FALSE(cmd.replace_tags());
}

TEST_CASE("a patch sets the fields it names and only those", "[task_json_v1]") {
  auto cmd = update({{"title", "new"}, {"priority", 1}});
  CHECK(cmd.title() == "new");
  CHECK(cmd.priority() == 1);
  CHECK_FALSE(cmd.has_description());
  CHECK_FALSE(cmd.has_status());
  CHECK_FALSE(cmd.replace_assignees());
  CHECK_FALSE(cmd.has_due_at_ms());
  CHECK_FALSE(cmd.clear_due_at());
}

TEST_CASE("a patch reads every writable v1 field", "[task_json_v1]") {
  auto cmd = update({{"title", "t"},
                     {"description", "d"},
                     {"priority", 4},
                     {"status", "done"},
                     {"assignee_id", "user-b"},
                     {"due_date", "1970-01-01T00:00:01Z"}});
  CHECK(cmd.title() == "t");
  CHECK(cmd.description() == "d");
  CHECK(cmd.priority() == 4);
  CHECK(cmd.status() == messages::TASK_STATUS_DONE);
  CHECK(cmd.replace_assignees());
  REQUIRE(cmd.assignees_size() == 1);
  CHECK(cmd.assignees(0) == "user-b");
  CHECK(cmd.due_at_ms() == 1'000);
  CHECK_FALSE(cmd.clear_due_at());
}

TEST_CASE("a patch can move to every status by its wire name", "[task_json_v1]") {
  CHECK(update({{"status", "todo"}}).status() == messages::TASK_STATUS_TODO);
  CHECK(update({{"status", "in_progress"}}).status() == messages::TASK_STATUS_IN_PROGRESS);
  CHECK(update({{"status", "done"}}).status() == messages::TASK_STATUS_DONE);
  CHECK(update({{"status", "cancelled"}}).status() == messages::TASK_STATUS_CANCELLED);
}

TEST_CASE("a patch refuses a status that is not a v1 name", "[task_json_v1]") {
  for (const char* status : {"", "DONE", "in-progress", "canceled", "unknown", "unspecified", "1"}) {
    CAPTURE(status);
    CHECK(update_errors({{"status", status}}) == fields{"status"});
  }
}

TEST_CASE("null in a patch removes what can be removed", "[task_json_v1]") {
  SECTION("description becomes empty") {
    auto cmd = update({{"description", nullptr}});
    CHECK(cmd.has_description());
    CHECK(cmd.description().empty());
  }
  SECTION("the assignee is removed") {
    auto cmd = update({{"assignee_id", nullptr}});
    CHECK(cmd.replace_assignees());
    CHECK(cmd.assignees().empty());
  }
  SECTION("the due date is cleared") {
    auto cmd = update({{"due_date", nullptr}});
    CHECK(cmd.clear_due_at());
    CHECK_FALSE(cmd.has_due_at_ms());
  }
}

TEST_CASE("null cannot remove a title, a status or a priority", "[task_json_v1]") {
  CHECK(update_errors({{"title", nullptr}}) == fields{"title"});
  CHECK(update_errors({{"status", nullptr}}) == fields{"status"});
  CHECK(update_errors({{"priority", nullptr}}) == fields{"priority"});
}

TEST_CASE("a patch refuses writable fields of the wrong JSON type", "[task_json_v1]") {
  auto field = GENERATE(as<std::string>{}, "title", "description", "status", "assignee_id", "due_date");
  for (const auto& value : wrong_types) {
    CAPTURE(field, value.dump());
    CHECK(update_errors({{field, value}}) == fields{field});
  }
}

TEST_CASE("a patch refuses a priority that is not an integer", "[task_json_v1]") {
  for (const json& value : {json(3.0), json("3"), json(false), json::array(), json::object()}) {
    CAPTURE(value.dump());
    CHECK(update_errors({{"priority", value}}) == fields{"priority"});
  }
}

TEST_CASE("a patch refuses a malformed due date", "[task_json_v1]") {
  CHECK(update_errors({{"due_date", "2026-13-01T00:00:00Z"}}) == fields{"due_date"});
  CHECK(update_errors({{"due_date", ""}}) == fields{"due_date"});
}

TEST_CASE("a patch ignores read-only fields whatever their type", "[task_json_v1]") {
  auto cmd = update({{"id", 1},
                     {"owner_id", json::array()},
                     {"version", "seven"},
                     {"created_at", nullptr},
                     {"updated_at", true},
                     {"source", 5},
                     {"external_id", json::object()}});
  CHECK_FALSE(cmd.has_title());
  CHECK_FALSE(cmd.has_description());
  CHECK_FALSE(cmd.has_priority());
  CHECK_FALSE(cmd.has_status());
  CHECK_FALSE(cmd.replace_assignees());
  CHECK_FALSE(cmd.clear_due_at());
}

TEST_CASE("a task read through GET can be sent back whole as a patch", "[task_json_v1]") {
  auto cmd = update(edge::v1::task_to_json(full_snapshot()));
  CHECK(cmd.title() == "Write tests");
  CHECK(cmd.description() == "for the edge");
  CHECK(cmd.priority() == 3);
  CHECK(cmd.status() == messages::TASK_STATUS_IN_PROGRESS);
  CHECK(cmd.due_at_ms() == 1'795'549'640'123);
  REQUIRE(cmd.assignees_size() == 1);
  CHECK(cmd.assignees(0) == "user-a");
}

TEST_CASE("a patch reports every bad field at once", "[task_json_v1]") {
  CHECK(update_errors({{"title", nullptr}, {"priority", "x"}, {"status", "nope"}, {"due_date", 1}}) ==
        fields{"due_date", "priority", "status", "title"});
}

// --- task_to_json -------------------------------------------------------------

TEST_CASE("a task is written with exactly the v1 fields", "[task_json_v1]") {
  auto body = edge::v1::task_to_json(full_snapshot());
  REQUIRE(body.is_object());
  std::set<std::string> keys;
  for (const auto& [key, value] : body.items())
    keys.insert(key);
  CHECK(keys == std::set<std::string>{"id", "title", "description", "status", "priority", "assignee_id", "due_date",
                                      "external_id", "source", "owner_id", "created_at", "updated_at", "version"});
}

TEST_CASE("a task's fields are written with their v1 types and values", "[task_json_v1]") {
  auto body = edge::v1::task_to_json(full_snapshot());
  CHECK(body.at("id") == "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  CHECK(body.at("title") == "Write tests");
  CHECK(body.at("description") == "for the edge");
  CHECK(body.at("status") == "in_progress");
  CHECK(body.at("priority") == 3);
  CHECK(body.at("priority").is_number_integer());
  CHECK(body.at("assignee_id") == "user-a");
  CHECK(body.at("due_date") == "2026-11-24T19:47:20.123Z");
  CHECK(body.at("external_id") == "TF-1");
  CHECK(body.at("source") == "jira");
  CHECK(body.at("owner_id") == "owner-1");
  CHECK(body.at("created_at") == "1970-01-01T00:00:00.000Z");
  CHECK(body.at("updated_at") == "1970-01-01T00:00:01.000Z");
  CHECK(body.at("version") == 7);
  CHECK(body.at("version").is_number_integer());
}

TEST_CASE("absent optional task fields are written as null", "[task_json_v1]") {
  auto task = full_snapshot();
  task.clear_assignees();
  task.clear_due_at_ms();
  task.clear_external_ref();
  auto body = edge::v1::task_to_json(task);
  CHECK(body.at("assignee_id").is_null());
  CHECK(body.at("due_date").is_null());
  CHECK(body.at("external_id").is_null());
  CHECK(body.at("source").is_null());
  CHECK(body.at("description") == "for the edge");
}

TEST_CASE("an empty description is an empty string, not null", "[task_json_v1]") {
  auto task = full_snapshot();
  task.clear_description();
  CHECK(edge::v1::task_to_json(task).at("description") == "");
}

TEST_CASE("every status has its v1 wire name", "[task_json_v1]") {
  auto task = full_snapshot();
  task.set_status(messages::TASK_STATUS_TODO);
  CHECK(edge::v1::task_to_json(task).at("status") == "todo");
  task.set_status(messages::TASK_STATUS_DONE);
  CHECK(edge::v1::task_to_json(task).at("status") == "done");
  task.set_status(messages::TASK_STATUS_CANCELLED);
  CHECK(edge::v1::task_to_json(task).at("status") == "cancelled");
}

TEST_CASE("a due date at the epoch is written, not mistaken for absent", "[task_json_v1]") {
  auto task = full_snapshot();
  task.set_due_at_ms(0);
  CHECK(edge::v1::task_to_json(task).at("due_date") == "1970-01-01T00:00:00.000Z");
}
