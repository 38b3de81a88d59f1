// The outbox relay: publishes committed events to the bus in commit order and
// marks them sent only after the bus acknowledged them. A crash in between
// republishes, which the bus (by event id) and consumers (by inbox) absorb.
// Runs under the node's supervisor; nudged after each commit, and polls too.
#pragma once

#include <chrono>
#include <memory>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/event_bus.hpp"
#include "actors/ports/outbox_store.hpp"
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
  const logger* log = nullptr;
  metrics* stats = nullptr;
};

struct outbox_relay_state {
  bool drain_pending = false;
  bool failing = false;
  std::int64_t ticks = 0;
  static inline const char* name = "outbox_relay";
};

caf::behavior outbox_relay(caf::stateful_actor<outbox_relay_state>* self, outbox_relay_config config,
                           outbox_relay_deps deps);

}  // namespace taskflow::runtime
