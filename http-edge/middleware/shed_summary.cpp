#include "http-edge/middleware/shed_summary.hpp"

#include <utility>

namespace taskflow::edge {

shed_summary::shed_summary(const runtime::logger& log, std::string event, std::size_t in_flight_limit,
                           std::chrono::milliseconds interval, runtime::clock_source now)
    : log_(log),
      event_(std::move(event)),
      in_flight_limit_(in_flight_limit),
      interval_(interval),
      now_(std::move(now)),
      next_line_(std::chrono::steady_clock::time_point::min().time_since_epoch().count()) {}

std::optional<std::uint64_t> shed_summary::refused() {
  unlogged_.fetch_add(1, std::memory_order_relaxed);
  auto now = now_().time_since_epoch().count();
  auto due = next_line_.load(std::memory_order_relaxed);
  // Of the refusals that find the line due, the one that moves the deadline
  // writes it; the others only count.
  if (now < due || !next_line_.compare_exchange_strong(due, now + interval_.count(), std::memory_order_relaxed))
    return std::nullopt;
  auto count = unlogged_.exchange(0, std::memory_order_relaxed);
  log_.warn(event_, {{"count", count},
                     {"in_flight_limit", in_flight_limit_},
                     {"interval_ms", std::chrono::duration_cast<std::chrono::milliseconds>(interval_).count()}});
  return count;
}

}  // namespace taskflow::edge
