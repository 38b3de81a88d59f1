// Port: the durable reminder timers, as the node's timer wheel reads them.
// Each task row carries its next reminder time, written by the task's own
// commit (ports::task_commit::remind_at_ms), so scheduling and cancelling
// are part of the change that causes them; this port only finds what comes
// due. Only runtime services use it; actors never do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

namespace taskflow::ports {

// One task's pending timer; (remind_at_ms, task_id) is also a place in the
// scan's order, so a page boundary is exact.
struct reminder_timer {
  std::string task_id;
  std::int64_t remind_at_ms = 0;
  // The W3C trace context of the write that last committed the timer: a
  // ring, long after, starts a trace of its own linked to it. Not part of
  // the timer's identity.
  std::string traceparent{};

  bool operator==(const reminder_timer& other) const {
    return task_id == other.task_id && remind_at_ms == other.remind_at_ms;
  }
};

class reminder_store {
public:
  virtual ~reminder_store() = default;

  // Timers that ring at or before until_ms (including long past ones),
  // earliest first, ties by task id, starting after `after` (the last of
  // the previous page), at most `limit`.
  virtual caf::expected<std::vector<reminder_timer>> due_reminders(std::int64_t until_ms,
                                                                   const std::optional<reminder_timer>& after,
                                                                   std::size_t limit) = 0;
};

}  // namespace taskflow::ports
