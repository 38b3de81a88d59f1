#include "runtime/observability/load_sampler.hpp"

#include "messages/time/unix_clock.hpp"

namespace taskflow::runtime {

load_sampler::load_sampler(metrics& stats, load_history& history, std::chrono::milliseconds period)
    : thread_([this, &stats, &history, period](const std::stop_token& stop) {
        std::unique_lock lock{mutex_};
        while (!stop.stop_requested()) {
          history.record(totals_of(stats.registry().Collect()), clock::unix_now_ms());
          // Wakes early only when the jthread's destructor asks it to stop.
          wake_.wait_for(lock, stop, period, [] { return false; });
        }
      }) {}

}  // namespace taskflow::runtime
