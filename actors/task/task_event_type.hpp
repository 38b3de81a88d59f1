// Names of task events as they appear in stores, bus subjects and logs.
#pragma once

#include <string_view>

#include "messages/task/task_events.pb.h"

namespace taskflow::task {

// "task.created", "task.updated", "task.status_changed", "task.deleted".
std::string_view event_type(const messages::EventEnvelope& event);

}  // namespace taskflow::task
