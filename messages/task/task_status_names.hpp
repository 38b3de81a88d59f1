// The names task statuses have on the wire ("todo", "in_progress", ...).
#pragma once

#include <optional>
#include <string_view>

#include "messages/task/task.pb.h"

namespace taskflow::messages {

std::string_view status_name(TaskStatus status);
std::optional<TaskStatus> parse_status(std::string_view name);

}  // namespace taskflow::messages
