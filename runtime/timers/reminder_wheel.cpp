#include "runtime/timers/reminder_wheel.hpp"

#include <algorithm>

namespace taskflow::runtime {

void reminder_wheel::scan_began(std::int64_t until_ms) {
  held_until_ = std::max(held_until_, until_ms);
}

void reminder_wheel::loaded(const std::vector<ports::reminder_timer>& page) {
  for (const auto& timer : page)
    if (in_flight_.count(timer.task_id) == 0)
      set(timer.task_id, timer.remind_at_ms, timer.traceparent);
}

void reminder_wheel::announced(const std::string& task_id, std::optional<std::int64_t> at_ms,
                               const std::string& traceparent) {
  if (!at_ms || *at_ms > held_until_)
    return erase(task_id);
  auto known = traceparent;
  if (known.empty()) {
    if (auto held = by_task_.find(task_id); held != by_task_.end())
      known = held->second.traceparent;
    else if (auto ringing = in_flight_.find(task_id); ringing != in_flight_.end())
      known = ringing->second;
  }
  set(task_id, *at_ms, std::move(known));
}

std::vector<ports::reminder_timer> reminder_wheel::take_due(std::int64_t now_ms) {
  std::vector<ports::reminder_timer> due;
  while (!by_time_.empty() && in_flight_.size() < limits_.max_in_flight) {
    auto first = by_time_.begin();
    if (first->first > now_ms)
      break;
    auto held = by_task_.find(first->second);
    due.push_back({first->second, first->first, held->second.traceparent});
    in_flight_.insert_or_assign(first->second, std::move(held->second.traceparent));
    by_task_.erase(held);
    by_time_.erase(first);
  }
  return due;
}

void reminder_wheel::answered(const std::string& task_id) {
  in_flight_.erase(task_id);
}

void reminder_wheel::failed(const std::string& task_id, std::int64_t now_ms) {
  auto ringing = in_flight_.find(task_id);
  std::string traceparent;
  if (ringing != in_flight_.end()) {
    traceparent = std::move(ringing->second);
    in_flight_.erase(ringing);
  }
  if (by_task_.count(task_id) == 0)
    set(task_id, now_ms + limits_.retry_after.count(), std::move(traceparent));
}

void reminder_wheel::retain(const std::function<bool(const std::string&)>& keep) {
  for (auto it = by_time_.begin(); it != by_time_.end();) {
    if (keep(it->second)) {
      ++it;
      continue;
    }
    by_task_.erase(it->second);
    it = by_time_.erase(it);
  }
}

std::optional<std::int64_t> reminder_wheel::next_due_at() const {
  if (by_time_.empty() || in_flight_.size() >= limits_.max_in_flight)
    return std::nullopt;
  return by_time_.begin()->first;
}

void reminder_wheel::set(const std::string& task_id, std::int64_t at_ms, std::string traceparent) {
  auto [it, added] = by_task_.try_emplace(task_id, held_timer{at_ms, {}});
  if (!added)
    by_time_.erase({it->second.at_ms, task_id});
  it->second = held_timer{at_ms, std::move(traceparent)};
  by_time_.emplace(at_ms, task_id);
}

void reminder_wheel::erase(const std::string& task_id) {
  auto it = by_task_.find(task_id);
  if (it == by_task_.end())
    return;
  by_time_.erase({it->second.at_ms, task_id});
  by_task_.erase(it);
}

}  // namespace taskflow::runtime
