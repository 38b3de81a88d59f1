// A circuit breaker per dependency. Closed: calls pass, consecutive failures
// are counted. Open (after `failure_threshold` of them): calls fail at once
// for `open_for`, so a dead dependency costs no waiting and gets no load.
// Half-open: a few probe calls pass; one success closes, one failure opens
// again. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "runtime/resilience/clock.hpp"

namespace taskflow::runtime {

enum class breaker_state { closed, open, half_open };

std::string_view breaker_state_name(breaker_state state);

struct breaker_options {
  int failure_threshold = 5;
  std::chrono::milliseconds open_for{std::chrono::seconds{2}};
  int half_open_probes = 1;
};

class circuit_breaker {
public:
  using transition_observer = std::function<void(breaker_state from, breaker_state to)>;

  circuit_breaker(std::string name, breaker_options options, clock_source now = steady_clock_source(),
                  transition_observer on_transition = {});

  // True when the call may go ahead; then exactly one of record_success or
  // record_failure must follow.
  bool allow();
  void record_success();
  void record_failure();

  breaker_state state() const;
  // How long until an open breaker lets a probe through; zero otherwise.
  std::chrono::milliseconds retry_after() const;
  const std::string& name() const { return name_; }

private:
  void move_to(breaker_state next);  // called with mutex_ held

  std::string name_;
  breaker_options options_;
  clock_source now_;
  transition_observer on_transition_;
  mutable std::mutex mutex_;
  breaker_state state_ = breaker_state::closed;
  int failures_ = 0;
  int probes_in_flight_ = 0;
  std::chrono::steady_clock::time_point opened_at_{};
};

}  // namespace taskflow::runtime
