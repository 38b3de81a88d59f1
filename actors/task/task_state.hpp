// The state a task actor holds between messages. A deleted task keeps its row
// and version so a late writer still meets the optimistic-concurrency fence.
#pragma once

#include "messages/task/task.pb.h"

namespace taskflow::task {

struct task_state {
  messages::TaskSnapshot snapshot;  // version 0: never created
  bool deleted = false;

  bool exists() const { return snapshot.version() > 0 && !deleted; }
};

}  // namespace taskflow::task
