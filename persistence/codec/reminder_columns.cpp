#include "persistence/codec/reminder_columns.hpp"

namespace taskflow::persistence {

std::optional<std::int64_t> reminded_due_at_of(const task::task_state& state) {
  if (state.reminded.kind == messages::REMINDER_KIND_UNSPECIFIED)
    return std::nullopt;
  return state.reminded.due_at_ms;
}

task::reminder_mark reminder_mark_of(std::int64_t kind, std::int64_t due_at_ms) {
  if (!messages::ReminderKind_IsValid(static_cast<int>(kind)) || kind == messages::REMINDER_KIND_UNSPECIFIED)
    return {};
  return {static_cast<messages::ReminderKind>(kind), due_at_ms};
}

}  // namespace taskflow::persistence
