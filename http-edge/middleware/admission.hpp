// The edge's budget of requests in flight. Past it a request is answered 503
// with Retry-After at once: a queue behind a saturated node only turns every
// answer into a 504 at the deadline, after holding its memory all along,
// while a prompt refusal costs microseconds and tells a client (or a load
// balancer) to go elsewhere or come back. Probes and /metrics are exempt, so
// an overloaded node still reports what it is doing.
#pragma once

#include <atomic>
#include <cstddef>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

namespace taskflow::edge {

class admission_budget {
public:
  // Both metrics are optional (unit tests).
  admission_budget(std::size_t limit, prometheus::Gauge* in_flight = nullptr, prometheus::Counter* shed = nullptr);

  // Takes a slot when one is free; each true must be matched by one leave().
  [[nodiscard]] bool try_enter();
  void leave();

  std::size_t limit() const { return limit_; }
  std::size_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

private:
  std::size_t limit_;
  std::atomic<std::size_t> in_flight_{0};
  prometheus::Gauge* in_flight_metric_;
  prometheus::Counter* shed_metric_;
};

}  // namespace taskflow::edge
