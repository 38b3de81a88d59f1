// The task status machine of API.md: which moves are allowed.
#pragma once

#include "messages/task/task.pb.h"
#include "messages/task/task_status_names.hpp"

namespace taskflow::task {

using messages::TaskStatus;

// True when API.md allows moving a task from `from` to `to`. Staying in the
// same status is not a move and is handled by the caller as "no change".
bool is_allowed_move(TaskStatus from, TaskStatus to);

// Done or cancelled: nothing more is due (reminders stop).
bool is_closed(TaskStatus status);

using messages::parse_status;
using messages::status_name;

}  // namespace taskflow::task
