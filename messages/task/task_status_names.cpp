#include "messages/task/task_status_names.hpp"

#include <array>
#include <utility>

namespace taskflow::messages {
namespace {

constexpr std::array<std::pair<TaskStatus, std::string_view>, 4> names{{
    {TASK_STATUS_TODO, "todo"},
    {TASK_STATUS_IN_PROGRESS, "in_progress"},
    {TASK_STATUS_DONE, "done"},
    {TASK_STATUS_CANCELLED, "cancelled"},
}};

}  // namespace

std::string_view status_name(TaskStatus status) {
  for (auto [s, name] : names)
    if (s == status)
      return name;
  return "unknown";
}

std::optional<TaskStatus> parse_status(std::string_view name) {
  for (auto [s, n] : names)
    if (n == name)
      return s;
  return std::nullopt;
}

}  // namespace taskflow::messages
