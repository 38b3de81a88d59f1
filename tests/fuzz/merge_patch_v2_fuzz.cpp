// libFuzzer target for the v2 merge patch (RFC 7396) mapping: any bytes parsed
// as a PATCH body, then, when they are an object, mapped to an UpdateTask.
// An accepted patch changes exactly the fields it names; the read-only fields
// of the v2 shape change nothing; and a task rendered in the v2 shape, sent
// back whole (read-modify-write), is accepted and sets what it shows.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "http-edge/v2/task_json_v2.hpp"
#include "messages/task/task_status_names.hpp"
#include "tests/fuzz/field_errors_check.hpp"
#include "tests/fuzz/invariant.hpp"
#include "tests/fuzz/request_body.hpp"
#include "tests/fuzz/sent_strings.hpp"

using taskflow::fuzz::expect;
using taskflow::fuzz::expect_explained;
using taskflow::fuzz::sent_strings;
using taskflow::fuzz::strings_of;
namespace messages = taskflow::messages;
namespace v2 = taskflow::edge::v2;

namespace {

using mapped = std::variant<messages::UpdateTask, messages::field_errors>;

std::string serialized(const mapped& result) {
  if (const auto* update = std::get_if<messages::UpdateTask>(&result))
    return "update:" + update->SerializeAsString();
  std::string out = "errors:";
  for (const auto& e : std::get<messages::field_errors>(result))
    out += e.SerializeAsString() + '\n';
  return out;
}

bool names(const nlohmann::json& body, const char* field) {
  return body.contains(field);
}

void expect_names_exactly(const nlohmann::json& body, const messages::UpdateTask& patch) {
  expect(patch.has_title() == names(body, "title") && patch.has_description() == names(body, "description") &&
             patch.has_priority() == names(body, "priority"),
         "a patch sets title, description and priority exactly when it names them");
  expect(patch.replace_assignees() == names(body, "assignees") && patch.replace_tags() == names(body, "tags"),
         "a patch replaces assignees and tags exactly when it names them");
  expect(strings_of(patch.assignees()) == sent_strings(body, "assignees") &&
             strings_of(patch.tags()) == sent_strings(body, "tags"),
         "replaced assignees and tags are the ones sent, in order");
  bool due_named = names(body, "due_at");
  expect(patch.clear_due_at() == (due_named && body.at("due_at").is_null()) &&
             patch.has_due_at_ms() == (due_named && !body.at("due_at").is_null()),
         "null clears due_at, a date sets it, absence leaves it");
  expect(patch.has_status() == (names(body, "state") && body.at("state").contains("status")),
         "a patch moves the task exactly when it names state.status");
}

// The v2 shape's read-only fields, set to something a client could have sent.
nlohmann::json with_read_only_fields(nlohmann::json body, const nlohmann::json& junk) {
  for (const char* field : {"id", "owner_id", "external_ref", "version", "created_at", "updated_at"})
    body[field] = junk;
  if (auto state = body.find("state"); state != body.end() && state->is_object())
    (*state)["changed_at"] = junk;
  return body;
}

// A task after the patch, as a client would read it back.
messages::TaskSnapshot patched_task(const messages::UpdateTask& patch) {
  messages::TaskSnapshot task;
  task.set_title(patch.title());
  task.set_description(patch.description());
  task.set_priority(patch.has_priority() ? patch.priority() : *v2::parse_priority("medium"));
  *task.mutable_assignees() = patch.assignees();
  *task.mutable_tags() = patch.tags();
  if (patch.has_due_at_ms())
    task.set_due_at_ms(patch.due_at_ms());
  task.set_status(patch.has_status() ? patch.status() : messages::TASK_STATUS_TODO);
  return task;
}

void expect_whole_task_accepted(const messages::UpdateTask& patch) {
  auto task = patched_task(patch);
  auto again = v2::update_from_json(v2::task_to_json(task));
  const auto* whole = std::get_if<messages::UpdateTask>(&again);
  expect(whole != nullptr, "a task rendered in the v2 shape is accepted back as a patch");
  expect(whole->title() == task.title() && whole->description() == task.description() &&
             whole->priority() == task.priority() && strings_of(whole->assignees()) == strings_of(task.assignees()) &&
             strings_of(whole->tags()) == strings_of(task.tags()) && whole->status() == task.status(),
         "a task sent back whole sets what it shows");
  expect(whole->has_due_at_ms() == task.has_due_at_ms() && whole->due_at_ms() == task.due_at_ms() &&
             whole->clear_due_at() == !task.has_due_at_ms(),
         "a task sent back whole keeps its due date, or clears it when it shows none");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = taskflow::fuzz::request_body(data, size);
  if (!body)
    return 0;
  const auto result = v2::update_from_json(*body);
  expect(serialized(v2::update_from_json(with_read_only_fields(*body, *body))) == serialized(result),
         "read-only fields change nothing in a patch");
  if (const auto* errors = std::get_if<messages::field_errors>(&result)) {
    expect_explained(*errors);
    return 0;
  }
  const auto& patch = std::get<messages::UpdateTask>(result);
  expect_names_exactly(*body, patch);
  expect_whole_task_accepted(patch);
  return 0;
}
