// What the log says of requests refused for overload. A line per refusal
// would add work exactly when the node has none to spare, thousands of lines
// a second, so refusals are counted and at most one line per interval says
// how many there were: the first refusal after a quiet interval at once (the
// moment shedding began), later ones summed. The edge's shed counter
// (taskflow_http_requests_shed_total, taskflow_grpc_requests_shed_total)
// still counts every one.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/observability/logger.hpp"
#include "runtime/resilience/clock.hpp"

namespace taskflow::edge {

class shed_summary {
public:
  // `event`: the line's name, "requests_shed" for HTTP, "grpc_calls_shed".
  shed_summary(const runtime::logger& log, std::string event, std::size_t in_flight_limit,
               std::chrono::milliseconds interval = std::chrono::seconds{1},
               runtime::clock_source now = runtime::steady_clock_source());

  // Counts one refusal; returns the count it logged when this one wrote the
  // line, which is at most once per interval and from one thread.
  std::optional<std::uint64_t> refused();

private:
  const runtime::logger& log_;
  std::string event_;
  std::size_t in_flight_limit_;
  std::chrono::steady_clock::duration interval_;
  runtime::clock_source now_;
  std::atomic<std::uint64_t> unlogged_{0};
  std::atomic<std::chrono::steady_clock::rep> next_line_;
};

}  // namespace taskflow::edge
