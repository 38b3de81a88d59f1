// What a task remembers of its last commands: the first answer to each, by
// command id, within a fixed window, and an answer that showed the task as
// it stood keeps showing that version after the task moves on.
#include <catch2/catch.hpp>

#include "actors/task/command_memory.hpp"

using namespace taskflow;

namespace {

task::task_state at_version(std::int64_t version, const std::string& title) {
  task::task_state state;
  state.snapshot.set_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  state.snapshot.set_version(version);
  state.snapshot.set_title(title);
  return state;
}

messages::TaskReply showing(const task::task_state& state) {
  messages::TaskReply reply;
  *reply.mutable_task() = state.snapshot;
  return reply;
}

messages::TaskReply refusal(const std::string& detail) {
  messages::TaskReply reply;
  reply.mutable_error()->set_code(messages::ERROR_CODE_CONFLICT);
  reply.mutable_error()->set_detail(detail);
  return reply;
}

}  // namespace

TEST_CASE("an answer showing the task as it stands still shows that version once it changes", "[command_memory]") {
  task::command_memory memory{4};
  auto v1 = at_version(1, "first");
  memory.remember("c-1", showing(v1), &v1);
  CHECK(memory.find("c-1", v1)->task().title() == "first");

  auto v2 = at_version(2, "second");
  memory.before_change(v1);
  memory.remember("c-2", showing(v2), &v2);
  auto first = memory.find("c-1", v2);
  REQUIRE(first);
  CHECK(first->task().version() == 1);
  CHECK(first->task().title() == "first");
  CHECK(memory.find("c-2", v2)->task().title() == "second");
  CHECK_FALSE(memory.find("c-3", v2));
}

TEST_CASE("the memory keeps the newest answers and forgets the oldest first", "[command_memory]") {
  task::command_memory memory{3};
  auto state = at_version(1, "t");
  for (int i = 0; i < 5; ++i)
    memory.remember("c-" + std::to_string(i), refusal("refusal " + std::to_string(i)), &state);
  CHECK(memory.size() == 3);
  CHECK_FALSE(memory.find("c-0", state));
  CHECK_FALSE(memory.find("c-1", state));
  for (int i = 2; i < 5; ++i)
    CHECK(memory.find("c-" + std::to_string(i), state)->error().detail() == "refusal " + std::to_string(i));
}

TEST_CASE("an answer with no known state, or another version, is kept whole", "[command_memory]") {
  task::command_memory memory{2};
  auto v1 = at_version(1, "one");
  auto v3 = at_version(3, "three");
  memory.remember("unknown", showing(v1), nullptr);
  memory.remember("older", showing(v1), &v3);
  CHECK(memory.find("unknown", v3)->task().title() == "one");
  CHECK(memory.find("older", v3)->task().title() == "one");
}
