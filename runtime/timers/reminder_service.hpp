// The node's one reminder timer wheel as a supervised actor: it keeps the
// timers of the tasks whose shards this node serves and, when one is due,
// sends the task a RemindTask through the node's own shard host, which
// activates the task on demand. The task decides what, if anything, is due
// and commits it as an event (actors/task/task_reminders.hpp); the wheel
// only wakes it, so no ring can tell twice.
//
//   scan      every scan interval, and within a second when the shards this node
//             serves change (a handoff, a restart, a fence), the timers due
//             within the horizon are read from the store page by page on
//             the store pool, and those of other nodes' shards dropped.
//             After a restart the first scan finds the timers that passed
//             during the downtime: one per task, rung at once.
//   announce  a task whose commit moved its timer tells the wheel
//             ((remind_atom, id, at, traceparent) or (remind_atom, id) to
//             cancel), so a due date set a minute ahead rings on time
//             without a scan.
//   ring      when a timer is due, at most max_in_flight rings are out at a
//             time; a ring that fails (store down, shard moving) is retried
//             after a second, a ring for a shard no longer served dropped.
//
// Messages: (remind_atom, std::string task_id, std::int64_t at_ms, std::string traceparent),
// (remind_atom, std::string task_id), and its own ticks and wakes.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/reminder_store.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/sharding/shard_admission.hpp"
#include "runtime/supervision/service_handle.hpp"
#include "runtime/timers/reminder_wheel.hpp"

namespace taskflow::runtime {

struct reminder_service_config {
  std::chrono::milliseconds scan_interval{std::chrono::seconds{10}};
  std::chrono::milliseconds horizon{std::chrono::minutes{5}};
  // How often the shards this node serves are compared with the last scan's.
  std::chrono::milliseconds shard_check_interval{std::chrono::seconds{1}};
  // How long a ring may take: a task's commit, or its activation and load first.
  std::chrono::milliseconds ring_timeout{std::chrono::seconds{10}};
  std::size_t page_size = 500;
  reminder_wheel_limits limits;
};

struct reminder_service_deps {
  std::shared_ptr<ports::reminder_store> store;
  // Runs the scans; outlives the actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  std::function<std::int64_t()> now_ms;
  // Which shards this node serves; read, never written.
  std::shared_ptr<const shard_admission> admission;
  shard_host_handle shard_host;
  const logger* log = nullptr;
  metrics* stats = nullptr;
};

struct reminder_service_state {
  reminder_wheel wheel;
  bool scanning = false;
  bool scan_failing = false;
  std::chrono::steady_clock::time_point last_scan;
  // What the shards this node served looked like at the last scan.
  std::uint64_t shards_seen = 0;
  // The wake in flight: a later one supersedes it by generation.
  std::optional<std::int64_t> wake_at;
  std::uint64_t wake_generation = 0;

  static inline const char* name = "reminder_wheel";
};

using reminder_service_actor = caf::stateful_actor<reminder_service_state>;

caf::behavior reminder_service(reminder_service_actor* self, reminder_service_config config,
                               reminder_service_deps deps);

}  // namespace taskflow::runtime
