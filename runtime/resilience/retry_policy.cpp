#include "runtime/resilience/retry_policy.hpp"

#include <algorithm>

namespace taskflow::runtime {

retry_policy::retry_policy(retry_options options, std::uint64_t seed)
    : options_(options), rng_(seed), tokens_(options.budget_reserve) {}

std::chrono::milliseconds retry_policy::delay_before(int attempt) {
  auto shift = std::clamp(attempt - 1, 0, 20);
  auto ceiling = std::min<std::int64_t>(options_.max_delay.count(), options_.base_delay.count() << shift);
  std::lock_guard lock{mutex_};
  std::uniform_int_distribution<std::int64_t> pick{0, std::max<std::int64_t>(ceiling, 0)};
  return std::chrono::milliseconds{pick(rng_)};
}

void retry_policy::on_call() {
  std::lock_guard lock{mutex_};
  // The budget never grows beyond its reserve: a long calm spell must not
  // save up a retry storm.
  tokens_ = std::min(options_.budget_reserve, tokens_ + options_.budget_ratio);
}

bool retry_policy::try_spend() {
  std::lock_guard lock{mutex_};
  if (tokens_ < 1.0)
    return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace taskflow::runtime
