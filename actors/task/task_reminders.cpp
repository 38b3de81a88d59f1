#include "actors/task/task_reminders.hpp"

#include "actors/task/task_status.hpp"

namespace taskflow::task {
namespace {

bool may_remind(const task_state& state) {
  return state.exists() && state.snapshot.has_due_at_ms() && !is_closed(state.snapshot.status());
}

// What was told about the current due date; a mark for an earlier one counts for nothing.
messages::ReminderKind told(const task_state& state) {
  if (state.reminded.due_at_ms != state.snapshot.due_at_ms())
    return messages::REMINDER_KIND_UNSPECIFIED;
  return state.reminded.kind;
}

}  // namespace

std::optional<std::int64_t> next_reminder_at(const task_state& state, std::chrono::milliseconds lead) {
  if (!may_remind(state))
    return std::nullopt;
  auto due = state.snapshot.due_at_ms();
  switch (told(state)) {
    case messages::REMINDER_KIND_UNSPECIFIED:
      return lead.count() > 0 ? due - lead.count() : due;
    case messages::REMINDER_KIND_DUE_SOON:
      return due;
    default:
      return std::nullopt;
  }
}

std::optional<messages::ReminderKind> reminder_due(const task_state& state, std::int64_t now_ms,
                                                   std::chrono::milliseconds lead) {
  if (!may_remind(state))
    return std::nullopt;
  auto due = state.snapshot.due_at_ms();
  auto already = told(state);
  if (now_ms >= due)
    return already == messages::REMINDER_KIND_OVERDUE ? std::nullopt : std::optional{messages::REMINDER_KIND_OVERDUE};
  if (lead.count() > 0 && now_ms >= due - lead.count() && already == messages::REMINDER_KIND_UNSPECIFIED)
    return messages::REMINDER_KIND_DUE_SOON;
  return std::nullopt;
}

}  // namespace taskflow::task
