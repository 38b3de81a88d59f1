// The state a task actor holds between messages. A deleted task keeps its row
// and version so a late writer still meets the optimistic-concurrency fence.
#pragma once

#include <cstdint>

#include "messages/task/task.pb.h"
#include "messages/task/task_events.pb.h"

namespace taskflow::task {

// The latest reminder committed, and for which due date: a timer that fires
// again, or a second activation during a handoff, finds it told already.
// It speaks only for that due date; a moved due date starts afresh.
struct reminder_mark {
  messages::ReminderKind kind = messages::REMINDER_KIND_UNSPECIFIED;
  std::int64_t due_at_ms = 0;

  bool operator==(const reminder_mark& other) const { return kind == other.kind && due_at_ms == other.due_at_ms; }
};

struct task_state {
  messages::TaskSnapshot snapshot;  // version 0: never created
  bool deleted = false;
  reminder_mark reminded;

  bool exists() const { return snapshot.version() > 0 && !deleted; }
};

}  // namespace taskflow::task
