// Token buckets keyed by principal, client IP, or IP and account. Buckets
// live in this process; with several edges each holds its own, so the
// cluster-wide budget is the per-edge one times the edge count (until the
// counters move to Redis). Thread-safe: the edge's I/O threads share it.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "runtime/config/config.hpp"

namespace taskflow::edge {

struct rate_decision {
  bool allowed = true;
  std::int64_t limit = 0;      // the burst: RateLimit-Limit
  std::int64_t remaining = 0;  // whole tokens left: RateLimit-Remaining
  std::int64_t reset_s = 0;    // seconds until the bucket is full again: RateLimit-Reset
  std::int64_t retry_after_s = 0;
};

class rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  explicit rate_limiter(runtime::rate_limit limit, std::size_t max_keys = 100'000);

  // Takes one token if there is one.
  rate_decision take(const std::string& key, clock::time_point now = clock::now());
  // Whether a token is there, without taking it: for limits that count only
  // failures, checked before the attempt and charged after it fails.
  rate_decision peek(const std::string& key, clock::time_point now = clock::now());

  bool enabled() const { return limit_.enabled(); }

private:
  struct bucket {
    double tokens;
    clock::time_point updated;
  };
  bucket& refill(const std::string& key, clock::time_point now);
  rate_decision describe(const bucket& b, bool allowed) const;
  void evict_full(clock::time_point now);

  runtime::rate_limit limit_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace taskflow::edge
