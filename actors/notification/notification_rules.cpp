#include "actors/notification/notification_rules.hpp"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "messages/ids/uuid.hpp"
#include "messages/task/task_status_names.hpp"

namespace taskflow::notification {
namespace {

using messages::EventEnvelope;
using messages::TaskSnapshot;

// The namespace of notification ids. Fixed for good: a new one would change
// every id, and a redelivered event would notify a second time.
constexpr std::string_view id_namespace = "65a23f31-614b-472b-8744-59d0e5388f94";

// Each part is framed by its length, so ("ab", "c") and ("a", "bc") name
// different notifications.
std::string notification_id(std::initializer_list<std::string_view> parts) {
  std::string name;
  for (auto part : parts)
    name.append(std::to_string(part.size())).append(":").append(part);
  return ids::uuid_v5(id_namespace, name);
}

template <class Range>
bool contains(const Range& range, std::string_view value) {
  return std::find(range.begin(), range.end(), value) != range.end();
}

bool is_closed(messages::TaskStatus status) {
  return status == messages::TASK_STATUS_DONE || status == messages::TASK_STATUS_CANCELLED;
}

std::string quoted(const std::string& title) {
  return "\"" + title + "\"";
}

// The owner, then the assignees, each once (an owner may assign themself).
std::vector<std::string_view> owner_and_assignees(const TaskSnapshot& task) {
  std::vector<std::string_view> people{task.owner_id()};
  for (const auto& assignee : task.assignees())
    if (!contains(people, assignee))
      people.emplace_back(assignee);
  return people;
}

// One notification per recipient; `source` names what caused them.
notifications addressed(const std::vector<std::string_view>& recipients, std::string_view source, std::string_view type,
                        const TaskSnapshot& task, const std::string& message, std::int64_t created_at_ms) {
  notifications made;
  for (auto recipient : recipients) {
    auto& n = made.emplace_back();
    n.set_id(notification_id({source, recipient, type}));
    n.set_recipient_id(std::string{recipient});
    n.set_type(std::string{type});
    n.set_task_id(task.id());
    n.set_message(message);
    n.set_created_at_ms(created_at_ms);
  }
  return made;
}

notifications newly_assigned(const EventEnvelope& event, const TaskSnapshot& task,
                             const google::protobuf::RepeatedPtrField<std::string>& before) {
  std::vector<std::string_view> added;
  for (const auto& assignee : task.assignees())
    if (assignee != event.actor_id() && !contains(before, assignee))
      added.emplace_back(assignee);
  return addressed(added, event.event_id(), type_assigned, task, "You were assigned to " + quoted(task.title()),
                   event.occurred_at_ms());
}

notifications status_changed(const EventEnvelope& event) {
  const auto& moved = event.task_status_changed();
  auto recipients = owner_and_assignees(moved.task());
  std::erase(recipients, std::string_view{event.actor_id()});
  auto message = quoted(moved.task().title()) + " moved from " + std::string{messages::status_name(moved.from())} +
                 " to " + std::string{messages::status_name(moved.to())};
  return addressed(recipients, event.event_id(), type_status_changed, moved.task(), message, event.occurred_at_ms());
}

// The task decided the reminder was due when it committed the event, so the
// reminder rule, checked at the event's time, agrees; checking again keeps
// one rule for what a reminder says and whom it tells.
notifications reminder_due(const EventEnvelope& event) {
  const auto& due = event.task_reminder_due();
  if (due.kind() != messages::REMINDER_KIND_DUE_SOON && due.kind() != messages::REMINDER_KIND_OVERDUE)
    return {};
  auto kind = due.kind() == messages::REMINDER_KIND_DUE_SOON ? reminder_kind::due_soon : reminder_kind::overdue;
  return notifications_for_reminder(due.task(), {kind, due.due_at_ms()}, event.occurred_at_ms());
}

}  // namespace

namespace {

notifications by_payload(const EventEnvelope& event) {
  switch (event.payload_case()) {
    case EventEnvelope::kTaskCreated:
      return newly_assigned(event, event.task_created().task(), {});
    case EventEnvelope::kTaskUpdated:
      if (!contains(event.task_updated().changed_fields(), "assignees"))
        return {};
      return newly_assigned(event, event.task_updated().task(), event.task_updated().assignees_before());
    case EventEnvelope::kTaskStatusChanged:
      return status_changed(event);
    case EventEnvelope::kTaskReminderDue:
      return reminder_due(event);
    default:
      // API.md has no notification for a deleted task; other aggregates' events are not about tasks.
      return {};
  }
}

}  // namespace

notifications notifications_for_event(const EventEnvelope& event) {
  auto made = by_payload(event);
  for (auto& n : made)
    n.set_traceparent(event.traceparent());
  return made;
}

notifications notifications_for_reminder(const TaskSnapshot& task, const reminder& fired, std::int64_t now_ms) {
  if (is_closed(task.status()) || !task.has_due_at_ms() || task.due_at_ms() != fired.due_at_ms)
    return {};
  bool soon = fired.kind == reminder_kind::due_soon;
  if (soon && now_ms >= fired.due_at_ms)
    return {};
  // The task and due date name the reminder: re-firing it yields the same ids.
  auto source = task.id() + "@" + std::to_string(fired.due_at_ms);
  return addressed(owner_and_assignees(task), source, soon ? type_due_soon : type_overdue, task,
                   quoted(task.title()) + (soon ? " is due soon" : " is overdue"), now_ms);
}

}  // namespace taskflow::notification
