#include "actors/task/task_event_type.hpp"

namespace taskflow::task {

std::string_view event_type(const messages::EventEnvelope& event) {
  switch (event.payload_case()) {
    case messages::EventEnvelope::kTaskCreated:
      return "task.created";
    case messages::EventEnvelope::kTaskUpdated:
      return "task.updated";
    case messages::EventEnvelope::kTaskStatusChanged:
      return "task.status_changed";
    case messages::EventEnvelope::kTaskDeleted:
      return "task.deleted";
    case messages::EventEnvelope::PAYLOAD_NOT_SET:
      break;
  }
  return "unknown";
}

}  // namespace taskflow::task
