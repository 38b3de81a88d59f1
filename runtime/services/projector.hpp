// The read-model projector: a durable consumer of the event bus that applies
// task events to task_view. Each event is recorded in the inbox in the same
// transaction, so a redelivered event has no second effect. Deliveries that
// queue up while it works are projected together in one transaction, then
// acked; a failure naks them all and the bus redelivers. The transaction
// runs on the store pool, one batch at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/event_bus.hpp"
#include "actors/ports/services/read_model_store.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

// Deliveries carry ack callbacks and only ever travel inside one process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskflow::ports::bus_delivery)

namespace taskflow::runtime {

inline constexpr auto projector_consumer = "projector";

struct projector_deps {
  std::shared_ptr<ports::read_model_store> read_model;
  std::shared_ptr<ports::event_bus> bus;
  // Runs the projections; outlives the actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  const logger* log = nullptr;
  metrics* stats = nullptr;
};

struct projector_state {
  std::unique_ptr<ports::bus_subscription> subscription;
  std::vector<ports::bus_delivery> pending;
  bool drain_scheduled = false;
  shell::serial_jobs jobs;
  static inline const char* name = "projector";
};

caf::behavior projector(caf::stateful_actor<projector_state>* self, projector_deps deps);

}  // namespace taskflow::runtime
