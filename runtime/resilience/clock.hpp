// Where resilience code reads the time: the steady clock in production, a
// hand-driven clock in unit tests, so breaker timings are tested without
// sleeping.
#pragma once

#include <chrono>
#include <functional>

namespace taskflow::runtime {

using clock_source = std::function<std::chrono::steady_clock::time_point()>;

inline clock_source steady_clock_source() {
  return [] { return std::chrono::steady_clock::now(); };
}

}  // namespace taskflow::runtime
