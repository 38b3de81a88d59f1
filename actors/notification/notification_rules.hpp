// What to tell whom about a task (API.md, Notifications): pure functions of a
// committed task event or a fired reminder. No actor, no I/O, no clock: the
// consumer and the timer wheel pass `now` and whatever the event lacks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "messages/events/event_envelope.pb.h"
#include "messages/notification/notification.pb.h"
#include "messages/task/task.pb.h"

namespace taskflow::notification {

// The notification types as the API names them.
inline constexpr std::string_view type_assigned = "task.assigned";
inline constexpr std::string_view type_status_changed = "task.status_changed";
inline constexpr std::string_view type_due_soon = "task.due_soon";
inline constexpr std::string_view type_overdue = "task.overdue";

using notifications = std::vector<messages::Notification>;

// task.assigned for users newly assigned (every assignee of a created task;
// for an update, those not in its assignees_before), task.status_changed for
// the owner and assignees, task.due_soon or task.overdue for the owner and
// assignees of a task whose reminder came due (notifications_for_reminder at
// the event's time; nobody made that change, so nobody is left out);
// nothing for other events. Whoever made a change (the envelope's actor_id)
// is never told of it. Ids derive from the event id, or for a reminder from
// the task, due date and type, so a redelivered event yields the same ones.
notifications notifications_for_event(const messages::EventEnvelope& event);

enum class reminder_kind { due_soon, overdue };

struct reminder {
  reminder_kind kind;
  // The due date it was planned for: once the task's differs, it is stale.
  std::int64_t due_at_ms;
};

// The notifications a reminder firing at now_ms calls for, given the task as
// it is then: its owner and assignees, unless the task has closed, its due
// date has moved since the reminder was planned, or a due_soon comes too late
// (a backlog after downtime then tells only that the task is overdue).
notifications notifications_for_reminder(const messages::TaskSnapshot& task, const reminder& fired,
                                         std::int64_t now_ms);

}  // namespace taskflow::notification
