// Deletes Idempotency-Key records once their 24 h are over, so the table
// holds one day of keys rather than every key ever sent. Runs under the
// node's supervisor; a failed sweep is retried on the next tick. Sweeps run
// on the store pool; a tick that finds one still running is skipped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/idempotency_store.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "runtime/observability/logger.hpp"

namespace taskflow::runtime {

struct idempotency_sweeper_config {
  std::chrono::milliseconds interval{std::chrono::minutes{1}};
};

struct idempotency_sweeper_deps {
  std::shared_ptr<ports::idempotency_store> store;
  // Runs the sweeps; outlives the actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  std::function<std::int64_t()> now_ms;
  const logger* log = nullptr;
};

// What the sweeps share; a sweep in flight holds it.
struct sweep_progress {
  bool failing = false;
  std::int64_t purged = 0;  // since start, for logs
};

struct idempotency_sweeper_state {
  std::shared_ptr<sweep_progress> progress = std::make_shared<sweep_progress>();
  shell::serial_jobs jobs;
  static inline const char* name = "idempotency_sweeper";
};

caf::behavior idempotency_sweeper(caf::stateful_actor<idempotency_sweeper_state>* self,
                                  idempotency_sweeper_config config, idempotency_sweeper_deps deps);

}  // namespace taskflow::runtime
