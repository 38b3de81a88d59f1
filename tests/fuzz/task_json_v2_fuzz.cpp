// libFuzzer target for the v2 create mapping: any bytes parsed as a request
// body, then, when they are an object, mapped to a CreateTask. An accepted
// command carries what the body said, and a task made from it, rendered in
// the v2 shape and sent back as a create, maps to the same command.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "http-edge/v2/task_json_v2.hpp"
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

// The task a create makes, before the domain fills in ids and times.
messages::TaskSnapshot created_task(const messages::CreateTask& create) {
  messages::TaskSnapshot task;
  task.set_title(create.title());
  task.set_description(create.description());
  task.set_status(messages::TASK_STATUS_TODO);
  task.set_priority(create.has_priority() ? create.priority() : *v2::parse_priority("medium"));
  *task.mutable_assignees() = create.assignees();
  *task.mutable_tags() = create.tags();
  if (create.has_due_at_ms())
    task.set_due_at_ms(create.due_at_ms());
  if (create.has_external_ref())
    *task.mutable_external_ref() = create.external_ref();
  return task;
}

void expect_carries_body(const nlohmann::json& body, const messages::CreateTask& create) {
  expect(body.at("title").get<std::string>() == create.title(), "an accepted create carries the title as sent");
  if (create.has_priority())
    expect(create.priority() >= 1 && create.priority() <= 4 &&
               body.at("priority").get<std::string>() == v2::priority_name(create.priority()),
           "a priority is one of the four names, mapped to 1..4");
  expect(sent_strings(body, "assignees") == strings_of(create.assignees()),
         "the assignees are carried as sent, in order");
  expect(sent_strings(body, "tags") == strings_of(create.tags()), "the tags are carried as sent, in order");
}

void expect_round_trip(const messages::CreateTask& create) {
  auto task = created_task(create);
  auto again = v2::create_from_json(v2::task_to_json(task));
  const auto* cmd = std::get_if<messages::CreateTask>(&again);
  expect(cmd != nullptr, "a task rendered in the v2 shape is accepted back as a create");
  auto expected = create;
  expected.set_priority(task.priority());
  expect(cmd->SerializeAsString() == expected.SerializeAsString(),
         "a task rendered in the v2 shape maps back to the command that made it");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = taskflow::fuzz::request_body(data, size);
  if (!body)
    return 0;
  const auto create = v2::create_from_json(*body);
  if (const auto* errors = std::get_if<messages::field_errors>(&create)) {
    expect_explained(*errors);
    static const std::set<std::string> fields{"title", "description", "priority",     "assignees",
                                              "tags",  "due_at",      "external_ref", "state.status"};
    for (const auto& e : *errors)
      expect(fields.count(e.field()) == 1, "a field error names a field of the v2 create");
    return 0;
  }
  const auto& cmd = std::get<messages::CreateTask>(create);
  expect_carries_body(*body, cmd);
  expect_round_trip(cmd);
  return 0;
}
