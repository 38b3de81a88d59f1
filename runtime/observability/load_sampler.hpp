// Reads the node's metrics into a load_history every period, on a thread of
// its own: a registry read takes microseconds under the registry's own locks,
// and no actor or I/O thread waits for it. Stops and joins when destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime/observability/load_history.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::runtime {

class load_sampler {
public:
  static constexpr std::chrono::seconds default_period{5};

  load_sampler(metrics& stats, load_history& history, std::chrono::milliseconds period = default_period);
  load_sampler(const load_sampler&) = delete;
  load_sampler& operator=(const load_sampler&) = delete;

private:
  std::mutex mutex_;
  std::condition_variable_any wake_;
  // Last, so it starts after the members it uses, and its destructor (stop,
  // then join) runs before theirs.
  std::jthread thread_;
};

}  // namespace taskflow::runtime
