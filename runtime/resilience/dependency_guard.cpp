#include "runtime/resilience/dependency_guard.hpp"

namespace taskflow::runtime {

dependency_guard::dependency_guard(std::string name, guard_options options, metrics* stats, clock_source now,
                                   circuit_breaker::transition_observer on_transition)
    : retry_(options.retry),
      slow_call_(options.slow_call),
      now_(now),
      state_gauge_(stats ? &stats->dependency_breaker_state.Add({{"dependency", name}}) : nullptr),
      ok_(stats ? &stats->dependency_calls.Add({{"dependency", name}, {"outcome", "ok"}}) : nullptr),
      failed_(stats ? &stats->dependency_calls.Add({{"dependency", name}, {"outcome", "failed"}}) : nullptr),
      slow_(stats ? &stats->dependency_calls.Add({{"dependency", name}, {"outcome", "slow"}}) : nullptr),
      rejected_(stats ? &stats->dependency_calls.Add({{"dependency", name}, {"outcome", "rejected"}}) : nullptr),
      retries_(stats ? &stats->dependency_retries.Add({{"dependency", name}}) : nullptr),
      breaker_(std::move(name), options.breaker, std::move(now),
               [gauge = state_gauge_, observer = std::move(on_transition)](breaker_state from, breaker_state to) {
                 if (gauge)
                   gauge->Set(static_cast<double>(to));
                 if (observer)
                   observer(from, to);
               }) {}

bool dependency_guard::is_failure(const caf::error& error) {
  return ports::is(error, ports::store_errc::unavailable) || ports::is(error, ports::store_errc::timeout);
}

caf::expected<std::chrono::steady_clock::time_point> dependency_guard::begin() {
  if (!breaker_.allow()) {
    count(rejected_);
    return rejected();
  }
  auto now = now_();
  std::unique_lock lock{in_flight_mutex_};
  if (stuck(now)) {
    lock.unlock();
    breaker_.record_failure();
    count(rejected_);
    return ports::make_error(ports::store_errc::unavailable, name() + " has left a call unanswered for over " +
                                                                 std::to_string(slow_call_.count()) +
                                                                 " ms; not sending another");
  }
  in_flight_.insert(now);
  return now;
}

bool dependency_guard::stuck(std::chrono::steady_clock::time_point now) const {
  return slow_call_.count() > 0 && !in_flight_.empty() && now - *in_flight_.begin() > slow_call_;
}

void dependency_guard::end(const caf::error& outcome, std::chrono::steady_clock::time_point started) {
  {
    std::lock_guard lock{in_flight_mutex_};
    if (auto it = in_flight_.find(started); it != in_flight_.end())
      in_flight_.erase(it);
  }
  if (outcome && is_failure(outcome)) {
    breaker_.record_failure();
    count(failed_);
    return;
  }
  if (slow_call_.count() > 0 && now_() - started > slow_call_) {
    breaker_.record_failure();
    count(slow_);
    return;
  }
  breaker_.record_success();
  count(ok_);
}

caf::error dependency_guard::rejected() const {
  auto wait = breaker_.retry_after();
  return ports::make_error(ports::store_errc::unavailable, name() + " is failing (circuit open); next attempt in " +
                                                               std::to_string(wait.count()) + " ms");
}

}  // namespace taskflow::runtime
