#include "runtime/webhooks/endpoint_breakers.hpp"

namespace taskflow::runtime {

endpoint_breakers::endpoint_breakers(breaker_options options, clock_source now, transition on_transition)
    : options_(options), now_(std::move(now)), on_transition_(std::move(on_transition)) {}

circuit_breaker& endpoint_breakers::of(const std::string& endpoint_id) {
  std::lock_guard lock{mutex_};
  auto& slot = breakers_[endpoint_id];
  if (!slot) {
    circuit_breaker::transition_observer observer;
    if (on_transition_)
      observer = [endpoint_id, notify = on_transition_](breaker_state from, breaker_state to) {
        notify(endpoint_id, from, to);
      };
    slot = std::make_unique<circuit_breaker>("webhook " + endpoint_id, options_, now_, std::move(observer));
  }
  return *slot;
}

std::vector<std::pair<std::string, breaker_state>> endpoint_breakers::states() const {
  std::lock_guard lock{mutex_};
  std::vector<std::pair<std::string, breaker_state>> out;
  out.reserve(breakers_.size());
  for (const auto& [id, breaker] : breakers_)
    out.emplace_back(id, breaker->state());
  return out;
}

}  // namespace taskflow::runtime
