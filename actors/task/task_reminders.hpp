// A task's due-date reminders as the task itself sees them: when its timer
// should next fire, and what a firing commits. Pure, like the decider: the
// shell passes `now` and the lead. A task has at most one timer, its next
// reminder; the stored time is only a wake-up call, and what is due is
// decided from the state when it rings, so a timer that rings early, late
// or twice can neither tell twice nor tell the wrong thing.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "actors/task/task_state.hpp"
#include "messages/task/task_events.pb.h"

namespace taskflow::task {

inline constexpr std::chrono::milliseconds default_reminder_lead = std::chrono::hours{1};

// When the task's timer should ring next, or nothing: "due soon" `lead`
// before the due date, then "overdue" at it; nothing for a deleted or closed
// task, one without a due date, or one already told it is overdue. The time
// may have passed (a due date set close or in the past, a node that was
// down): the timer then rings at once. A lead of zero or less skips "due soon".
std::optional<std::int64_t> next_reminder_at(const task_state& state, std::chrono::milliseconds lead);

// The reminder due at now_ms that has not been committed for the current
// due date, the latest that applies: past the due date that is "overdue",
// even if "due soon" was never sent (a backlog tells only the latest).
std::optional<messages::ReminderKind> reminder_due(const task_state& state, std::int64_t now_ms,
                                                   std::chrono::milliseconds lead);

}  // namespace taskflow::task
