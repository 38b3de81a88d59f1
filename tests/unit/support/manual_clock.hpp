// A clock that moves only when the test says so, for breaker timings.
#pragma once

#include <chrono>

#include "runtime/resilience/clock.hpp"

namespace taskflow::testing {

class manual_clock {
public:
  runtime::clock_source source() {
    return [this] { return now_; };
  }
  void advance(std::chrono::milliseconds by) { now_ += by; }

private:
  std::chrono::steady_clock::time_point now_{std::chrono::seconds{1000}};
};

}  // namespace taskflow::testing
