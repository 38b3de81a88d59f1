// What the admin API shows of a task actor's state: the snapshot as replies
// carry it, plus whether the task exists or was deleted.
#pragma once

#include "actors/task/task_state.hpp"
#include "messages/admin/admin.pb.h"

namespace taskflow::task {

messages::AggregateState admin_view(const task_state& state);

}  // namespace taskflow::task
