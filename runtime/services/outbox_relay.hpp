// The outbox relay: publishes committed events to the bus in commit order and
// marks them sent only after the bus acknowledged them. A crash in between
// republishes, which the bus (by event id) and consumers (by inbox) absorb.
// Runs under the node's supervisor; nudged after each commit, and polls too.
// A drain (store reads, the bus publish, the store write) runs on the store
// pool, one at a time; nudges that arrive meanwhile make one more drain.
#pragma once

#include <chrono>
#include <memory>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/event_bus.hpp"
#include "actors/ports/services/outbox_store.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::runtime {

struct outbox_relay_config {
  std::chrono::milliseconds poll_interval{200};
  std::size_t batch_size = 256;
  std::chrono::milliseconds publish_timeout{std::chrono::seconds{5}};
  // Sent rows are kept this long for inspection, then pruned.
  std::chrono::milliseconds keep_sent{std::chrono::hours{1}};
};

struct outbox_relay_deps {
  std::shared_ptr<ports::outbox_store> outbox;
  std::shared_ptr<ports::event_bus> bus;
  // Runs the drains; outlives the actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  const logger* log = nullptr;
  metrics* stats = nullptr;
};

// What the drains share; a drain in flight holds it.
struct relay_progress {
  bool failing = false;
  std::int64_t ticks = 0;
};

struct outbox_relay_state {
  std::shared_ptr<relay_progress> progress = std::make_shared<relay_progress>();
  shell::serial_jobs jobs;
  bool drain_pending = false;  // a drain message is in the mailbox
  bool again = false;          // nudged or ticked while a drain ran
  bool again_tick = false;     // ... by a tick: the next drain does its chores
  static inline const char* name = "outbox_relay";
};

caf::behavior outbox_relay(caf::stateful_actor<outbox_relay_state>* self, outbox_relay_config config,
                           outbox_relay_deps deps);

}  // namespace taskflow::runtime
