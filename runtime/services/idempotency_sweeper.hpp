// Deletes Idempotency-Key records once their 24 h are over, so the table
// holds one day of keys rather than every key ever sent. Runs under the
// node's supervisor; a failed sweep is retried on the next tick.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/idempotency_store.hpp"
#include "runtime/observability/logger.hpp"

namespace taskflow::runtime {

struct idempotency_sweeper_config {
  std::chrono::milliseconds interval{std::chrono::minutes{1}};
};

struct idempotency_sweeper_deps {
  std::shared_ptr<ports::idempotency_store> store;
  std::function<std::int64_t()> now_ms;
  const logger* log = nullptr;
};

struct idempotency_sweeper_state {
  bool failing = false;
  std::int64_t purged = 0;  // since start, for tests and logs
  static inline const char* name = "idempotency_sweeper";
};

caf::behavior idempotency_sweeper(caf::stateful_actor<idempotency_sweeper_state>* self,
                                  idempotency_sweeper_config config, idempotency_sweeper_deps deps);

}  // namespace taskflow::runtime
