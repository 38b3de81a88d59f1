#include "messages/events/event_type.hpp"

namespace taskflow::messages {

std::string_view event_type(const EventEnvelope& event) {
  switch (event.payload_case()) {
    case EventEnvelope::kTaskCreated:
      return "task.created";
    case EventEnvelope::kTaskUpdated:
      return "task.updated";
    case EventEnvelope::kTaskStatusChanged:
      return "task.status_changed";
    case EventEnvelope::kTaskDeleted:
      return "task.deleted";
    case EventEnvelope::kTaskReminderDue:
      return "task.reminder_due";
    case EventEnvelope::kUserRegistered:
      return "user.registered";
    case EventEnvelope::kSessionOpened:
      return "session.opened";
    case EventEnvelope::kSessionRefreshed:
      return "session.refreshed";
    case EventEnvelope::kSessionRevoked:
      return "session.revoked";
    case EventEnvelope::kApiKeyRevoked:
      return "api_key.revoked";
    case EventEnvelope::PAYLOAD_NOT_SET:
      break;
  }
  return "unknown";
}

}  // namespace taskflow::messages
