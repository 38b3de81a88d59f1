#include "actors/notification/webhook_retry.hpp"

#include <algorithm>
#include <cmath>

namespace taskflow::notification {

using namespace std::chrono_literals;

retry_schedule standard_retry_schedule() {
  return {0ms, 5s, 5min, 30min, 2h, 5h, 10h, 14h, 20h, 24h};
}

std::chrono::milliseconds jittered(std::chrono::milliseconds delay, double unit) {
  unit = std::clamp(unit, 0.0, 1.0);
  auto spread = static_cast<double>(delay.count()) * retry_jitter;
  auto moved = static_cast<double>(delay.count()) + spread * (2 * unit - 1);
  return std::chrono::milliseconds{std::max<std::int64_t>(0, std::llround(moved))};
}

attempt_verdict judge_attempt(const retry_schedule& schedule, int attempts, const attempt_report& report,
                              std::int64_t now_ms, double jitter_unit) {
  if (report.status_code && *report.status_code >= 200 && *report.status_code < 300)
    return {delivery_delivered, false, std::nullopt};
  if (report.status_code == 410)
    return {delivery_failed, true, std::nullopt};
  auto next = static_cast<std::size_t>(std::max(attempts, 0));
  if (next >= schedule.size())
    return {delivery_failed, false, std::nullopt};
  return {delivery_pending, false, now_ms + jittered(schedule[next], jitter_unit).count()};
}

bool counts_against_endpoint(const attempt_report& report) {
  return !report.status_code || *report.status_code >= 500 || *report.status_code == 429;
}

}  // namespace taskflow::notification
