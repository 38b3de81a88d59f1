// The webhook dispatcher: works the deliveries in the store. Each cycle
// leases due deliveries for this node (store pool), then sends each on the
// webhook pool, bounded and separate from the store pool so slow receivers
// never hold up store calls: check the endpoint's breaker (open: postpone
// the delivery, no attempt spent), sign and POST through the sender port,
// judge the answer (actors/notification/webhook_retry) and record it under
// the lease. The next cycle starts when every send of this one is done; a
// full batch, a nudge or the poll interval starts it. A lease outlives any
// send (connect plus total timeout, with queueing), so a delivery is never
// sent twice at the same moment; a node that dies leaves leases that lapse,
// and another node's dispatcher picks the deliveries up.
// Runs under the node's supervisor.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/notification/webhook_retry.hpp"
#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/webhook_sender.hpp"
#include "actors/ports/services/webhook_store.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/webhooks/endpoint_breakers.hpp"

namespace taskflow::runtime {

struct webhook_dispatcher_config {
  std::string node_id;
  notification::retry_schedule schedule = notification::standard_retry_schedule();
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds lease{std::chrono::seconds{60}};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds{5}};
  std::chrono::milliseconds total_timeout{std::chrono::seconds{15}};
  // Deliveries leased per cycle: a few per webhook pool thread, so none
  // waits in the pool's queue for long against its lease.
  std::size_t batch_size = 8;
};

struct webhook_dispatcher_deps {
  std::shared_ptr<ports::webhook_store> store;
  std::shared_ptr<ports::webhook_sender> sender;
  // Run the leases, and the sends with their outcome records; both outlive
  // the actor (the node owns them).
  ports::blocking_executor* store_pool = nullptr;
  ports::blocking_executor* send_pool = nullptr;
  std::shared_ptr<endpoint_breakers> breakers;
  std::function<std::int64_t()> now_ms;
  // A fraction in [0, 1) for the retry jitter.
  std::function<double()> jitter;
  const logger* log = nullptr;
  metrics* stats = nullptr;
};

struct webhook_dispatcher_state {
  // Not an aggregate: CAF constructs a state from the actor pointer when it
  // can, and C++20 would take that pointer for `leasing`.
  webhook_dispatcher_state() = default;
  bool leasing = false;
  std::size_t in_flight = 0;  // sends of the current cycle not yet done
  bool again = false;         // nudged, ticked or a full batch: another cycle follows
  bool refresh = false;       // the next lease also counts the queue for the metrics
  static inline const char* name = "webhook_dispatcher";
};

caf::behavior webhook_dispatcher(caf::stateful_actor<webhook_dispatcher_state>* self, webhook_dispatcher_config config,
                                 webhook_dispatcher_deps deps);

}  // namespace taskflow::runtime
