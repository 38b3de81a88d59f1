// A durable consumer of the event bus that works in batches: deliveries that
// queue up while a batch runs go together in the next one, on the blocking
// pool, one batch at a time. The batch's work decides for all of it: done
// acks every delivery, failed naks them all and the bus redelivers, so the
// work must keep its effects single (an inbox, ids derived from the event).
// The projector and the notification consumer are two such works.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/event_bus.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "runtime/observability/logger.hpp"

// Deliveries carry ack callbacks and only ever travel inside one process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskflow::ports::bus_delivery)

namespace taskflow::runtime {

// Runs on the pool with the batch's events, in delivery order; true when
// they are done with.
using batch_work = std::function<bool(const std::vector<messages::EventEnvelope>& events)>;

struct batched_consumer_deps {
  std::string consumer;  // the durable consumer's name
  std::shared_ptr<ports::event_bus> bus;
  // Runs the batches; outlives the actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  const logger* log = nullptr;
  batch_work work;
};

struct batched_consumer_state {
  std::unique_ptr<ports::bus_subscription> subscription;
  std::vector<ports::bus_delivery> pending;
  bool drain_scheduled = false;
  shell::serial_jobs jobs;
  static inline const char* name = "batched_consumer";
};

caf::behavior batched_consumer(caf::stateful_actor<batched_consumer_state>* self, batched_consumer_deps deps);

}  // namespace taskflow::runtime
