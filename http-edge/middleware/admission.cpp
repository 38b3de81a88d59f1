#include "http-edge/middleware/admission.hpp"

namespace taskflow::edge {

admission_budget::admission_budget(std::size_t limit, prometheus::Gauge* in_flight, prometheus::Counter* shed)
    : limit_(limit), in_flight_metric_(in_flight), shed_metric_(shed) {}

bool admission_budget::try_enter() {
  auto current = in_flight_.load(std::memory_order_relaxed);
  do {
    if (current >= limit_) {
      if (shed_metric_)
        shed_metric_->Increment();
      return false;
    }
  } while (!in_flight_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
  if (in_flight_metric_)
    in_flight_metric_->Increment();
  return true;
}

void admission_budget::leave() {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  if (in_flight_metric_)
    in_flight_metric_->Decrement();
}

}  // namespace taskflow::edge
