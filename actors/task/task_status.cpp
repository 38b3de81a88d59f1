#include "actors/task/task_status.hpp"

#include <array>
#include <utility>

namespace taskflow::task {
namespace {

using messages::TASK_STATUS_CANCELLED;
using messages::TASK_STATUS_DONE;
using messages::TASK_STATUS_IN_PROGRESS;
using messages::TASK_STATUS_TODO;

constexpr std::array<std::pair<TaskStatus, TaskStatus>, 7> allowed_moves{{
    {TASK_STATUS_TODO, TASK_STATUS_IN_PROGRESS},
    {TASK_STATUS_TODO, TASK_STATUS_CANCELLED},
    {TASK_STATUS_IN_PROGRESS, TASK_STATUS_TODO},
    {TASK_STATUS_IN_PROGRESS, TASK_STATUS_DONE},
    {TASK_STATUS_IN_PROGRESS, TASK_STATUS_CANCELLED},
    {TASK_STATUS_DONE, TASK_STATUS_TODO},
    {TASK_STATUS_CANCELLED, TASK_STATUS_TODO},
}};

}  // namespace

bool is_allowed_move(TaskStatus from, TaskStatus to) {
  for (auto [f, t] : allowed_moves)
    if (f == from && t == to)
      return true;
  return false;
}

bool is_closed(TaskStatus status) {
  return status == TASK_STATUS_DONE || status == TASK_STATUS_CANCELLED;
}

}  // namespace taskflow::task
