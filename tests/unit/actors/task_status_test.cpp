// Every pair of statuses: exactly the seven moves of API.md are allowed.
#include <catch2/catch.hpp>

#include "actors/task/task_status.hpp"

using namespace taskflow;
using messages::TaskStatus;

namespace {

constexpr TaskStatus todo = messages::TASK_STATUS_TODO;
constexpr TaskStatus in_progress = messages::TASK_STATUS_IN_PROGRESS;
constexpr TaskStatus done = messages::TASK_STATUS_DONE;
constexpr TaskStatus cancelled = messages::TASK_STATUS_CANCELLED;

}  // namespace

TEST_CASE("the seven moves of API.md are allowed", "[task_status]") {
  auto [from, to] = GENERATE(table<TaskStatus, TaskStatus>({
      {todo, in_progress},
      {todo, cancelled},
      {in_progress, todo},
      {in_progress, done},
      {in_progress, cancelled},
      {done, todo},
      {cancelled, todo},
  }));
  CAPTURE(task::status_name(from), task::status_name(to));
  CHECK(task::is_allowed_move(from, to));
}

TEST_CASE("every other move is forbidden", "[task_status]") {
  auto [from, to] = GENERATE(table<TaskStatus, TaskStatus>({
      {todo, todo},
      {todo, done},
      {in_progress, in_progress},
      {done, in_progress},
      {done, done},
      {done, cancelled},
      {cancelled, in_progress},
      {cancelled, done},
      {cancelled, cancelled},
  }));
  CAPTURE(task::status_name(from), task::status_name(to));
  CHECK_FALSE(task::is_allowed_move(from, to));
}

TEST_CASE("status names round-trip and unknown names are rejected", "[task_status]") {
  for (auto s : {todo, in_progress, done, cancelled})
    CHECK(task::parse_status(task::status_name(s)) == s);
  CHECK_FALSE(task::parse_status("TODO"));
  CHECK_FALSE(task::parse_status("in-progress"));
  CHECK_FALSE(task::parse_status(""));
}
