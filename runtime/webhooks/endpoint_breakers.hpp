// A circuit breaker per webhook endpoint, made on first use. An endpoint that
// keeps failing stops getting attempts for a while (its deliveries are
// postponed, not spent), so a dead receiver costs no sends and no threads.
// Each node keeps its own: a breaker reflects what this node saw. Thread-safe:
// the dispatcher's send jobs and the admin gateway share it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/resilience/circuit_breaker.hpp"

namespace taskflow::runtime {

class endpoint_breakers {
public:
  using transition = std::function<void(const std::string& endpoint_id, breaker_state from, breaker_state to)>;

  endpoint_breakers(breaker_options options, clock_source now = steady_clock_source(), transition on_transition = {});

  // The endpoint's breaker; lives as long as this object.
  circuit_breaker& of(const std::string& endpoint_id);

  // Every endpoint seen so far, by id, with its breaker's state.
  std::vector<std::pair<std::string, breaker_state>> states() const;

private:
  breaker_options options_;
  clock_source now_;
  transition on_transition_;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<circuit_breaker>> breakers_;
};

}  // namespace taskflow::runtime
