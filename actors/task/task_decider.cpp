#include "actors/task/task_decider.hpp"

#include <algorithm>
#include <string>

#include "actors/task/task_limits.hpp"
#include "actors/task/task_status.hpp"
#include "actors/task/task_validation.hpp"
#include "messages/task/client_version.hpp"

namespace taskflow::task {
namespace {

using messages::EventEnvelope;
using messages::TaskCommand;
using messages::TaskSnapshot;

bool is_admin(const messages::Principal& principal) {
  const auto& roles = principal.roles();
  return std::find(roles.begin(), roles.end(), "admin") != roles.end();
}

EventEnvelope envelope_for(const TaskSnapshot& next, std::int64_t now_ms) {
  EventEnvelope event;
  event.set_aggregate_type(aggregate_type);
  event.set_aggregate_id(next.id());
  event.set_version(next.version());
  event.set_occurred_at_ms(now_ms);
  return event;
}

std::vector<std::string> to_vector(const google::protobuf::RepeatedPtrField<std::string>& xs) {
  return {xs.begin(), xs.end()};
}

// Why a command may not touch an existing task, if it may not.
std::optional<messages::Error> check_access(const task_state& state, const TaskCommand& command) {
  if (!state.exists() || !is_visible_to(state.snapshot, command.principal()))
    return messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No task with this id.");
  auto current = messages::client_version(state.snapshot);
  if (command.has_expected_version() && command.expected_version() != current)
    return messages::make_error(messages::ERROR_CODE_VERSION_MISMATCH,
                                "The task has changed since version " + std::to_string(command.expected_version()) +
                                    "; it is now at version " + std::to_string(current) + ".");
  return std::nullopt;
}

decision decide_create(const task_state& state, const TaskCommand& command, const decision_context& context) {
  if (state.snapshot.version() > 0)
    return messages::make_error(messages::ERROR_CODE_CONFLICT, "A task with this id already exists.");
  const auto& create = command.create();
  field_errors errors;
  validate_title(create.title(), errors);
  validate_description(create.description(), errors);
  int priority = create.has_priority() ? create.priority() : limits::default_priority;
  validate_priority(priority, errors);
  if (create.has_due_at_ms())
    validate_due_at(create.due_at_ms(), errors);
  validate_assignees(to_vector(create.assignees()), errors);
  validate_tags(to_vector(create.tags()), errors);
  if (create.has_external_ref())
    validate_external_ref(create.external_ref(), errors);
  if (!errors.empty())
    return messages::validation_error("The task has invalid fields.", std::move(errors));

  TaskSnapshot task;
  task.set_id(command.task_id());
  task.set_title(create.title());
  task.set_description(create.description());
  task.set_status(messages::TASK_STATUS_TODO);
  task.set_priority(priority);
  *task.mutable_assignees() = create.assignees();
  if (create.has_due_at_ms())
    task.set_due_at_ms(create.due_at_ms());
  *task.mutable_tags() = create.tags();
  if (create.has_external_ref())
    *task.mutable_external_ref() = create.external_ref();
  task.set_owner_id(command.principal().id());
  task.set_created_at_ms(context.now_ms);
  task.set_updated_at_ms(context.now_ms);
  task.set_status_changed_at_ms(context.now_ms);
  task.set_version(1);
  task.set_edit_version(1);

  auto event = envelope_for(task, context.now_ms);
  *event.mutable_task_created()->mutable_task() = std::move(task);
  return std::vector<EventEnvelope>{std::move(event)};
}

decision decide_update(const task_state& state, const TaskCommand& command, const messages::UpdateTask& update,
                       const decision_context& context) {
  if (auto denied = check_access(state, command))
    return *denied;
  TaskSnapshot next = state.snapshot;
  std::vector<std::string> changed;
  field_errors errors;

  if (update.has_title() && update.title() != next.title()) {
    validate_title(update.title(), errors);
    next.set_title(update.title());
    changed.emplace_back("title");
  }
  if (update.has_description() && update.description() != next.description()) {
    validate_description(update.description(), errors);
    next.set_description(update.description());
    changed.emplace_back("description");
  }
  if (update.has_priority() && update.priority() != next.priority()) {
    validate_priority(update.priority(), errors);
    next.set_priority(update.priority());
    changed.emplace_back("priority");
  }
  if (update.replace_assignees() && to_vector(update.assignees()) != to_vector(next.assignees())) {
    validate_assignees(to_vector(update.assignees()), errors);
    *next.mutable_assignees() = update.assignees();
    changed.emplace_back("assignees");
  }
  if (update.clear_due_at() && next.has_due_at_ms()) {
    next.clear_due_at_ms();
    changed.emplace_back("due_at");
  } else if (update.has_due_at_ms() && (!next.has_due_at_ms() || update.due_at_ms() != next.due_at_ms())) {
    validate_due_at(update.due_at_ms(), errors);
    next.set_due_at_ms(update.due_at_ms());
    changed.emplace_back("due_at");
  }
  if (update.replace_tags() && to_vector(update.tags()) != to_vector(next.tags())) {
    validate_tags(to_vector(update.tags()), errors);
    *next.mutable_tags() = update.tags();
    changed.emplace_back("tags");
  }
  if (!errors.empty())
    return messages::validation_error("The task has invalid fields.", std::move(errors));

  bool status_changes = update.has_status() && update.status() != next.status();
  if (status_changes && !is_allowed_move(next.status(), update.status()))
    return messages::make_error(messages::ERROR_CODE_INVALID_TRANSITION,
                                "A task cannot move from " + std::string{status_name(next.status())} + " to " +
                                    std::string{status_name(update.status())} + ".");
  if (changed.empty() && !status_changes)
    return std::vector<EventEnvelope>{};

  auto from = next.status();
  if (status_changes) {
    next.set_status(update.status());
    next.set_status_changed_at_ms(context.now_ms);
  }
  next.set_updated_at_ms(context.now_ms);
  next.set_version(state.snapshot.version() + 1);
  next.set_edit_version(next.version());

  // One command is one version; its events share it so consumers can order
  // by (version, position in the command).
  std::vector<EventEnvelope> events;
  if (!changed.empty()) {
    auto event = envelope_for(next, context.now_ms);
    auto* updated = event.mutable_task_updated();
    *updated->mutable_task() = next;
    for (auto& field : changed) {
      if (field == "assignees")
        *updated->mutable_assignees_before() = state.snapshot.assignees();
      updated->add_changed_fields(std::move(field));
    }
    events.push_back(std::move(event));
  }
  if (status_changes) {
    auto event = envelope_for(next, context.now_ms);
    auto* moved = event.mutable_task_status_changed();
    moved->set_from(from);
    moved->set_to(next.status());
    *moved->mutable_task() = next;
    events.push_back(std::move(event));
  }
  return events;
}

decision decide_delete(const task_state& state, const TaskCommand& command, const decision_context& context) {
  if (auto denied = check_access(state, command))
    return *denied;
  if (state.snapshot.owner_id() != command.principal().id() && !is_admin(command.principal()))
    return messages::make_error(messages::ERROR_CODE_FORBIDDEN, "Only the owner or an admin may delete a task.");
  TaskSnapshot next = state.snapshot;
  next.set_version(state.snapshot.version() + 1);
  next.set_edit_version(next.version());
  next.set_updated_at_ms(context.now_ms);
  auto event = envelope_for(next, context.now_ms);
  event.mutable_task_deleted()->set_owner_id(next.owner_id());
  return std::vector<EventEnvelope>{std::move(event)};
}

// A reminder is the task's own business, not a principal's: no access check,
// and nothing (rather than an error) when none is due, so a timer that rang
// early or twice simply finds nothing to do. A version of its own, so the
// mark it leaves is fenced like every other change; updated_at and the
// version clients see stay, as nobody edited the task.
decision decide_remind(const task_state& state, const decision_context& context) {
  auto kind = reminder_due(state, context.now_ms, context.reminder_lead);
  if (!kind)
    return std::vector<EventEnvelope>{};
  TaskSnapshot next = state.snapshot;
  next.set_edit_version(messages::client_version(state.snapshot));
  next.set_version(state.snapshot.version() + 1);
  auto event = envelope_for(next, context.now_ms);
  auto* due = event.mutable_task_reminder_due();
  due->set_kind(*kind);
  due->set_due_at_ms(next.due_at_ms());
  *due->mutable_task() = std::move(next);
  return std::vector<EventEnvelope>{std::move(event)};
}

}  // namespace

bool is_visible_to(const TaskSnapshot& task, const messages::Principal& principal) {
  if (task.owner_id() == principal.id() || is_admin(principal))
    return true;
  const auto& assignees = task.assignees();
  return std::find(assignees.begin(), assignees.end(), principal.id()) != assignees.end();
}

decision decide(const task_state& state, const TaskCommand& command, const decision_context& context) {
  switch (command.body_case()) {
    case TaskCommand::kCreate:
      return decide_create(state, command, context);
    case TaskCommand::kUpdate:
      return decide_update(state, command, command.update(), context);
    case TaskCommand::kChangeStatus: {
      messages::UpdateTask update;
      update.set_status(command.change_status().status());
      return decide_update(state, command, update, context);
    }
    case TaskCommand::kDeleteTask:
      return decide_delete(state, command, context);
    case TaskCommand::kRemind:
      return decide_remind(state, context);
    case TaskCommand::kGet:
    case TaskCommand::BODY_NOT_SET:
      break;
  }
  return messages::make_error(messages::ERROR_CODE_VALIDATION, "The command changes nothing.");
}

task_state apply(task_state state, const EventEnvelope& event) {
  switch (event.payload_case()) {
    case EventEnvelope::kTaskCreated:
      state.snapshot = event.task_created().task();
      state.deleted = false;
      break;
    case EventEnvelope::kTaskUpdated:
      state.snapshot = event.task_updated().task();
      break;
    case EventEnvelope::kTaskStatusChanged:
      state.snapshot = event.task_status_changed().task();
      break;
    case EventEnvelope::kTaskReminderDue:
      state.snapshot = event.task_reminder_due().task();
      state.reminded = {event.task_reminder_due().kind(), event.task_reminder_due().due_at_ms()};
      break;
    case EventEnvelope::kTaskDeleted:
      state.snapshot.set_version(event.version());
      state.snapshot.set_updated_at_ms(event.occurred_at_ms());
      state.deleted = true;
      break;
    default:
      // Events of other aggregates never reach a task.
      break;
  }
  return state;
}

}  // namespace taskflow::task
