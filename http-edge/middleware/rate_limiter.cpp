#include "http-edge/middleware/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace taskflow::edge {

rate_limiter::rate_limiter(runtime::rate_limit limit, std::size_t max_keys) : limit_(limit), max_keys_(max_keys) {}

rate_limiter::bucket& rate_limiter::refill(const std::string& key, clock::time_point now) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_)
      evict_full(now);
    return buckets_.emplace(key, bucket{limit_.burst, now}).first->second;
  }
  auto& b = it->second;
  auto elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(limit_.burst, b.tokens + std::max(0.0, elapsed) * limit_.per_second);
  b.updated = now;
  return b;
}

// A full bucket is the same as no bucket, so forgetting full ones bounds
// memory without changing any answer. Under an attack from more keys than
// fit, the oldest are dropped, which at worst hands them a fresh burst.
void rate_limiter::evict_full(clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    auto elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
    return entry.second.tokens + elapsed * limit_.per_second >= limit_.burst;
  });
  if (buckets_.size() >= max_keys_)
    buckets_.erase(buckets_.begin());
}

rate_decision rate_limiter::describe(const bucket& b, bool allowed) const {
  rate_decision d;
  d.allowed = allowed;
  d.limit = static_cast<std::int64_t>(limit_.burst);
  d.remaining = static_cast<std::int64_t>(std::floor(b.tokens));
  d.reset_s = static_cast<std::int64_t>(std::ceil((limit_.burst - b.tokens) / limit_.per_second));
  if (!allowed)
    d.retry_after_s =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / limit_.per_second)));
  return d;
}

rate_decision rate_limiter::take(const std::string& key, clock::time_point now) {
  if (!enabled())
    return {};
  std::lock_guard lock{mutex_};
  auto& b = refill(key, now);
  bool allowed = b.tokens >= 1.0;
  if (allowed)
    b.tokens -= 1.0;
  return describe(b, allowed);
}

rate_decision rate_limiter::peek(const std::string& key, clock::time_point now) {
  if (!enabled())
    return {};
  std::lock_guard lock{mutex_};
  auto& b = refill(key, now);
  return describe(b, b.tokens >= 1.0);
}

}  // namespace taskflow::edge
