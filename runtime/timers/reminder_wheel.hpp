// The node's reminder timers, as plain data: which task rings when, which
// rings are in flight, and how far ahead the wheel holds what the store has.
// No actor, no clock, no store: reminder_service (the actor) feeds it scans,
// the tasks' announcements and the time, and sends the rings it hands out.
//
// The store is the timers' durable home (tasks.remind_at_ms); the wheel
// holds only those due before `held_until` (the last scan's horizon), at
// most one per task (its next), ordered by time in a balanced tree rather
// than hashed into slots, because what it holds is bounded by the horizon.
// A backlog (timers due while the node was down) is one entry per task
// whatever its age, and rings leave at most `max_in_flight` at a time, so a
// long outage drains at the pace of the commits instead of as a storm.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/ports/services/reminder_store.hpp"

namespace taskflow::runtime {

struct reminder_wheel_limits {
  // Rings sent and not yet answered.
  std::size_t max_in_flight = 64;
  // Timers held; a scan stops loading beyond it, and the next scan goes on
  // from what has rung by then.
  std::size_t max_held = 10'000;
  // A ring that failed (store down, shard in handoff) is tried again after this.
  std::chrono::milliseconds retry_after{std::chrono::seconds{1}};
};

class reminder_wheel {
public:
  explicit reminder_wheel(reminder_wheel_limits limits = {}) : limits_(limits) {}

  // A scan for every timer due by `until_ms` begins: from now on the wheel
  // takes announcements up to then, so none is lost between the scan's
  // read and its arrival.
  void scan_began(std::int64_t until_ms);
  // A page of the scan, of this node's tasks only. A task whose ring is in
  // flight keeps what it will announce when answered.
  void loaded(const std::vector<ports::reminder_timer>& page);
  bool full() const { return by_task_.size() >= limits_.max_held; }

  // A task's commit moved its timer to `at_ms` (nullopt: cancelled), as the
  // write `traceparent` made it (empty: the one the wheel knows stays). A
  // time beyond what the wheel holds is left to the scan that reaches it.
  void announced(const std::string& task_id, std::optional<std::int64_t> at_ms, const std::string& traceparent = {});

  // The timers to ring at now_ms, earliest first, no more than may be in
  // flight; each leaves the wheel until answered or failed.
  std::vector<ports::reminder_timer> take_due(std::int64_t now_ms);
  // The task answered its ring: whatever is next, it has announced.
  void answered(const std::string& task_id);
  // The ring got no answer: it rings again after retry_after, unless the
  // task announced a time meanwhile.
  void failed(const std::string& task_id, std::int64_t now_ms);

  // Drops the timers of tasks `keep` refuses (shards handed to another node).
  void retain(const std::function<bool(const std::string& task_id)>& keep);

  // When the next ring is due, if one can leave then.
  std::optional<std::int64_t> next_due_at() const;
  std::size_t held() const { return by_task_.size(); }
  std::size_t in_flight() const { return in_flight_.size(); }

private:
  struct held_timer {
    std::int64_t at_ms = 0;
    std::string traceparent;
  };
  void set(const std::string& task_id, std::int64_t at_ms, std::string traceparent);
  void erase(const std::string& task_id);

  reminder_wheel_limits limits_;
  std::int64_t held_until_ = 0;
  std::set<std::pair<std::int64_t, std::string>> by_time_;
  std::unordered_map<std::string, held_timer> by_task_;
  // Rings in flight, with the traceparent a retry rings with.
  std::unordered_map<std::string, std::string> in_flight_;
};

}  // namespace taskflow::runtime
