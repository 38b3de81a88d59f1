// v1 and v2 are two views of one task model: what one version writes, the
// other reads back faithfully, within what each can say. v1 sees the first of
// the assignees and replaces the whole list when it sets assignee_id.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "http-edge/v1/task_mapper_v1.hpp"
#include "http-edge/v2/task_mapper_v2.hpp"

using namespace taskflow;
using nlohmann::json;

namespace {

const std::string alice = "01a20f1d-0000-7000-8000-00000000000a";
const std::string bob = "01a20f1d-0000-7000-8000-00000000000b";
const std::string carol = "01a20f1d-0000-7000-8000-00000000000c";

const edge::v1::task_mapper_v1 v1;
const edge::v2::task_mapper_v2 v2;

// What the domain would make of a create: the fields the body set, plus
// what a new task gets.
messages::TaskSnapshot created(const edge::task_mapper& mapper, const json& body) {
  auto parsed = mapper.create_from_json(body);
  REQUIRE(std::holds_alternative<messages::CreateTask>(parsed));
  const auto& c = std::get<messages::CreateTask>(parsed);
  messages::TaskSnapshot t;
  t.set_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  t.set_title(c.title());
  t.set_description(c.description());
  t.set_status(messages::TASK_STATUS_TODO);
  t.set_priority(c.has_priority() ? c.priority() : 2);
  *t.mutable_assignees() = c.assignees();
  if (c.has_due_at_ms())
    t.set_due_at_ms(c.due_at_ms());
  *t.mutable_tags() = c.tags();
  if (c.has_external_ref())
    *t.mutable_external_ref() = c.external_ref();
  t.set_owner_id(alice);
  t.set_version(1);
  return t;
}

// Applies a merge patch the way the domain does, for the fields mappers set.
messages::TaskSnapshot patched(const edge::task_mapper& mapper, messages::TaskSnapshot t, const json& body) {
  auto parsed = mapper.update_from_json(body);
  REQUIRE(std::holds_alternative<messages::UpdateTask>(parsed));
  const auto& u = std::get<messages::UpdateTask>(parsed);
  if (u.has_title())
    t.set_title(u.title());
  if (u.has_priority())
    t.set_priority(u.priority());
  if (u.replace_assignees())
    *t.mutable_assignees() = u.assignees();
  if (u.replace_tags())
    *t.mutable_tags() = u.tags();
  if (u.has_status())
    t.set_status(u.status());
  if (u.clear_due_at())
    t.clear_due_at_ms();
  else if (u.has_due_at_ms())
    t.set_due_at_ms(u.due_at_ms());
  t.set_version(t.version() + 1);
  return t;
}

}  // namespace

TEST_CASE("a task created through v1 reads the same through v2", "[round_trip]") {
  auto t = created(v1, {{"title", "From v1"},
                        {"priority", 3},
                        {"assignee_id", bob},
                        {"due_date", "2026-12-01T17:00:00Z"},
                        {"source", "jira"},
                        {"external_id", "OPS-1"}});
  auto j = v2.task_to_json(t);
  CHECK(j["title"] == "From v1");
  CHECK(j["priority"] == "high");
  CHECK(j["assignees"] == json::array({bob}));
  CHECK(j["due_at"] == "2026-12-01T17:00:00.000Z");
  CHECK(j["external_ref"] == json{{"source", "jira"}, {"id", "OPS-1"}});
  CHECK(j["tags"] == json::array());
  CHECK(j["state"]["status"] == "todo");
}

TEST_CASE("a task created through v2 reads through v1 as its first assignee", "[round_trip]") {
  auto t = created(v2, {{"title", "From v2"},
                        {"priority", "low"},
                        {"assignees", {carol, bob}},
                        {"tags", {"a"}},
                        {"due_at", "2026-12-01T17:00:00Z"},
                        {"external_ref", {{"source", "gh"}, {"id", "9"}}}});
  auto j = v1.task_to_json(t);
  CHECK(j["title"] == "From v2");
  CHECK(j["priority"] == 1);
  CHECK(j["assignee_id"] == carol);
  CHECK(j["due_date"] == "2026-12-01T17:00:00.000Z");
  CHECK(j["source"] == "gh");
  CHECK(j["external_id"] == "9");
  CHECK(j["status"] == "todo");
}

TEST_CASE("setting assignee_id through v1 replaces the whole list v2 sees", "[round_trip]") {
  auto t = created(v2, {{"title", "Shared"}, {"assignees", {alice, bob, carol}}});
  auto after = patched(v1, t, {{"assignee_id", carol}});
  CHECK(v2.task_to_json(after)["assignees"] == json::array({carol}));
  auto cleared = patched(v1, after, {{"assignee_id", nullptr}});
  CHECK(v2.task_to_json(cleared)["assignees"] == json::array());
  CHECK(v1.task_to_json(cleared)["assignee_id"].is_null());
}

TEST_CASE("a v1 patch leaves what v1 cannot see alone", "[round_trip]") {
  auto t = created(v2, {{"title", "Tagged"}, {"tags", {"keep", "these"}}, {"assignees", {alice, bob}}});
  auto after = patched(v1, t, {{"title", "Renamed"}, {"priority", 4}, {"status", "in_progress"}});
  auto j = v2.task_to_json(after);
  CHECK(j["title"] == "Renamed");
  CHECK(j["priority"] == "urgent");
  CHECK(j["state"]["status"] == "in_progress");
  CHECK(j["tags"] == json::array({"keep", "these"}));
  CHECK(j["assignees"] == json::array({alice, bob}));
}

TEST_CASE("a v2 task sent back through v2 changes nothing, and so does a v1 task through v1", "[round_trip]") {
  auto t = created(v2, {{"title", "Stable"}, {"assignees", {alice}}, {"tags", {"x"}}, {"priority", "high"}});
  auto via_v2 = patched(v2, t, v2.task_to_json(t));
  via_v2.set_version(t.version());
  CHECK(via_v2.SerializeAsString() == t.SerializeAsString());
  auto via_v1 = patched(v1, t, v1.task_to_json(t));
  via_v1.set_version(t.version());
  CHECK(via_v1.SerializeAsString() == t.SerializeAsString());
}

TEST_CASE("the domain's field names become each version's own", "[round_trip]") {
  CHECK(v1.field_name("due_date") == "due_date");
  CHECK(v1.field_name("assignee_id") == "assignee_id");
  CHECK(v2.field_name("due_date") == "due_at");
  CHECK(v2.field_name("assignee_id") == "assignees");
  CHECK(v2.field_name("source") == "external_ref.source");
  CHECK(v2.field_name("external_id") == "external_ref.id");
  CHECK(v2.field_name("title") == "title");
}

TEST_CASE("v1 and v2 lists read their own parameters", "[round_trip]") {
  messages::ListTasksQuery q1;
  CHECK(v1.read_list_query({{"assignee_id", bob}, {"page", "3"}, {"page_size", "10"}}, q1).empty());
  CHECK(q1.assignee_id() == bob);
  CHECK(q1.offset() == 20);
  CHECK(q1.limit() == 10);
  CHECK_FALSE(q1.has_keyset());

  messages::ListTasksQuery q2;
  CHECK(v2.read_list_query({{"assignee", bob}, {"limit", "10"}, {"status", "done"}}, q2).empty());
  CHECK(q2.assignee_id() == bob);
  CHECK(q2.limit() == 10);
  CHECK(q2.has_keyset());
  CHECK_FALSE(q2.keyset().has_after());

  messages::ListTasksQuery bad;
  auto errors = v2.read_list_query({{"limit", "0"}, {"cursor", "garbage"}, {"assignee", "x"}}, bad);
  REQUIRE(errors.size() == 2);  // the cursor is judged once the filters are sound
  CHECK(errors[0].field() == "assignee");
  CHECK(errors[1].field() == "limit");
}

TEST_CASE("a v2 page links to the next one only when more follow", "[round_trip]") {
  messages::ListTasksQuery q;
  REQUIRE(v2.read_list_query({{"limit", "1"}}, q).empty());
  messages::TaskPage page;
  auto* item = page.add_items();
  item->set_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  item->set_created_at_ms(77);
  page.set_has_more(true);
  auto j = v2.page_to_json(page, q);
  REQUIRE(j["next_cursor"].is_string());

  messages::ListTasksQuery next;
  REQUIRE(v2.read_list_query({{"limit", "1"}, {"cursor", j["next_cursor"].get<std::string>()}}, next).empty());
  CHECK(next.keyset().after().created_at_ms() == 77);
  CHECK(next.keyset().after().id() == item->id());

  messages::ListTasksQuery other_filter;
  auto errors = v2.read_list_query({{"status", "done"}, {"cursor", j["next_cursor"].get<std::string>()}}, other_filter);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field() == "cursor");

  page.set_has_more(false);
  CHECK(v2.page_to_json(page, q)["next_cursor"].is_null());
}
