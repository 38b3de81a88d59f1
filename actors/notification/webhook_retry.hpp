// When a webhook delivery is tried again, and what one attempt's outcome
// means for it (Standard Webhooks). Pure: the dispatcher passes `now` and a
// random fraction for the jitter, so every rule is unit-tested as it runs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace taskflow::notification {

// The wait before each attempt: the first is the delay after enqueueing, the
// n-th the delay after the (n-1)-th failed. One entry per attempt; past the
// last, the delivery fails for good.
using retry_schedule = std::vector<std::chrono::milliseconds>;

// Standard Webhooks: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
// 20 h, 24 h.
retry_schedule standard_retry_schedule();

// Retries of many deliveries that failed together (an endpoint down) spread
// over +/- this share of their delay rather than arriving at once.
inline constexpr double retry_jitter = 0.1;

// `delay` moved by up to retry_jitter of itself; `unit` in [0, 1) picks
// where (0.5 keeps it). A zero delay stays zero.
std::chrono::milliseconds jittered(std::chrono::milliseconds delay, double unit);

// The three states of a delivery, as the delivery log shows them.
inline constexpr std::string_view delivery_pending = "pending";
inline constexpr std::string_view delivery_delivered = "delivered";
inline constexpr std::string_view delivery_failed = "failed";

// What came back from one POST: a status code, or none when the connection
// failed or timed out.
struct attempt_report {
  std::optional<int> status_code;
};

struct attempt_verdict {
  std::string_view status;  // one of the delivery_* above
  // A 410 Gone: the receiver asks never to be called again.
  bool disable_endpoint = false;
  // Set while the delivery stays pending.
  std::optional<std::int64_t> next_attempt_at_ms;
};

// The verdict on attempt number `attempts` (1 for the first) made at now_ms:
// a 2xx delivers; a 410 fails the delivery and disables its endpoint;
// anything else retries after the schedule's next step (jittered by
// `jitter_unit`), or fails once the schedule is spent.
attempt_verdict judge_attempt(const retry_schedule& schedule, int attempts, const attempt_report& report,
                              std::int64_t now_ms, double jitter_unit);

// Whether an attempt's outcome speaks against the endpoint's health (its
// circuit breaker): no answer, a 5xx or a 429. A 4xx is the receiver
// answering, just not liking what it got.
bool counts_against_endpoint(const attempt_report& report);

}  // namespace taskflow::notification
