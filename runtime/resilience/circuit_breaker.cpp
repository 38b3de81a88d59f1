#include "runtime/resilience/circuit_breaker.hpp"

#include <algorithm>

namespace taskflow::runtime {

std::string_view breaker_state_name(breaker_state state) {
  switch (state) {
    case breaker_state::closed:
      return "closed";
    case breaker_state::open:
      return "open";
    case breaker_state::half_open:
      return "half_open";
  }
  return "unknown";
}

circuit_breaker::circuit_breaker(std::string name, breaker_options options, clock_source now,
                                 transition_observer on_transition)
    : name_(std::move(name)), options_(options), now_(std::move(now)), on_transition_(std::move(on_transition)) {}

void circuit_breaker::move_to(breaker_state next) {
  if (next == state_)
    return;
  auto from = state_;
  state_ = next;
  if (next == breaker_state::open)
    opened_at_ = now_();
  if (next != breaker_state::half_open)
    probes_in_flight_ = 0;
  if (next == breaker_state::closed)
    failures_ = 0;
  if (on_transition_)
    on_transition_(from, next);
}

bool circuit_breaker::allow() {
  std::lock_guard lock{mutex_};
  if (state_ == breaker_state::open && now_() - opened_at_ >= options_.open_for)
    move_to(breaker_state::half_open);
  switch (state_) {
    case breaker_state::closed:
      return true;
    case breaker_state::open:
      return false;
    case breaker_state::half_open:
      if (probes_in_flight_ >= options_.half_open_probes)
        return false;
      ++probes_in_flight_;
      return true;
  }
  return false;
}

void circuit_breaker::record_success() {
  std::lock_guard lock{mutex_};
  failures_ = 0;
  // A late success from before the breaker opened proves nothing now.
  if (state_ == breaker_state::half_open)
    move_to(breaker_state::closed);
}

void circuit_breaker::record_failure() {
  std::lock_guard lock{mutex_};
  if (state_ == breaker_state::half_open) {
    move_to(breaker_state::open);
    return;
  }
  if (state_ == breaker_state::closed && ++failures_ >= options_.failure_threshold)
    move_to(breaker_state::open);
}

breaker_state circuit_breaker::state() const {
  std::lock_guard lock{mutex_};
  return state_;
}

std::chrono::milliseconds circuit_breaker::retry_after() const {
  std::lock_guard lock{mutex_};
  if (state_ != breaker_state::open)
    return std::chrono::milliseconds{0};
  auto left = options_.open_for - std::chrono::duration_cast<std::chrono::milliseconds>(now_() - opened_at_);
  return std::max(left, std::chrono::milliseconds{0});
}

}  // namespace taskflow::runtime
