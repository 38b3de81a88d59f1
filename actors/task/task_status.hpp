// The task status machine of API.md: which moves are allowed, and the names
// statuses have on the wire.
#pragma once

#include <optional>
#include <string_view>

#include "messages/task/task.pb.h"

namespace taskflow::task {

using messages::TaskStatus;

// True when API.md allows moving a task from `from` to `to`. Staying in the
// same status is not a move and is handled by the caller as "no change".
bool is_allowed_move(TaskStatus from, TaskStatus to);

std::string_view status_name(TaskStatus status);
std::optional<TaskStatus> parse_status(std::string_view name);

}  // namespace taskflow::task
