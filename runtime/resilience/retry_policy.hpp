// Retries with jittered exponential backoff, limited by a budget: retries may
// add at most `ratio` of the calls made (plus a small reserve), so when a
// dependency is struggling the retries of many callers cannot multiply its
// load. Only calls that are safe to repeat are retried.
#pragma once

#include <chrono>
#include <mutex>
#include <random>

namespace taskflow::runtime {

struct retry_options {
  int max_attempts = 3;  // the first call included
  std::chrono::milliseconds base_delay{20};
  std::chrono::milliseconds max_delay{200};
  double budget_ratio = 0.1;
  double budget_reserve = 10;  // retries allowed before any call was made
};

class retry_policy {
public:
  explicit retry_policy(retry_options options, std::uint64_t seed = std::random_device{}());

  // "Full jitter": uniform in [0, min(max_delay, base_delay * 2^(attempt-1))],
  // which spreads the retries of callers that failed together.
  std::chrono::milliseconds delay_before(int attempt);

  // Every call deposits a fraction of a retry; a retry spends one.
  void on_call();
  bool try_spend();

  int max_attempts() const { return options_.max_attempts; }

private:
  retry_options options_;
  std::mutex mutex_;
  std::mt19937_64 rng_;
  double tokens_;
};

}  // namespace taskflow::runtime
