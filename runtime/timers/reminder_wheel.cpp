#include "runtime/timers/reminder_wheel.hpp"

#include <algorithm>

namespace taskflow::runtime {

void reminder_wheel::scan_began(std::int64_t until_ms) {
  held_until_ = std::max(held_until_, until_ms);
}

void reminder_wheel::loaded(const std::vector<ports::reminder_timer>& page) {
  for (const auto& timer : page)
    if (in_flight_.count(timer.task_id) == 0)
      set(timer.task_id, timer.remind_at_ms);
}

void reminder_wheel::announced(const std::string& task_id, std::optional<std::int64_t> at_ms) {
  if (at_ms && *at_ms <= held_until_)
    set(task_id, *at_ms);
  else
    erase(task_id);
}

std::vector<ports::reminder_timer> reminder_wheel::take_due(std::int64_t now_ms) {
  std::vector<ports::reminder_timer> due;
  while (!by_time_.empty() && in_flight_.size() < limits_.max_in_flight) {
    auto first = by_time_.begin();
    if (first->first > now_ms)
      break;
    due.push_back({first->second, first->first});
    in_flight_.insert(first->second);
    by_task_.erase(first->second);
    by_time_.erase(first);
  }
  return due;
}

void reminder_wheel::answered(const std::string& task_id) {
  in_flight_.erase(task_id);
}

void reminder_wheel::failed(const std::string& task_id, std::int64_t now_ms) {
  in_flight_.erase(task_id);
  if (by_task_.count(task_id) == 0)
    set(task_id, now_ms + limits_.retry_after.count());
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

void reminder_wheel::set(const std::string& task_id, std::int64_t at_ms) {
  auto [it, added] = by_task_.try_emplace(task_id, at_ms);
  if (!added) {
    by_time_.erase({it->second, task_id});
    it->second = at_ms;
  }
  by_time_.emplace(at_ms, task_id);
}

void reminder_wheel::erase(const std::string& task_id) {
  auto it = by_task_.find(task_id);
  if (it == by_task_.end())
    return;
  by_time_.erase({it->second, task_id});
  by_task_.erase(it);
}

}  // namespace taskflow::runtime
