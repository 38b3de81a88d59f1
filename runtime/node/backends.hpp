// Picks the adapters behind the ports from the configuration: SQLite and the
// in-process bus by default; PostgreSQL (--postgres), NATS JetStream (--nats)
// and the Redis query cache (--redis) when given, each behind its dependency
// guard (breaker, retries, metrics) and reported by /readyz.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/event_bus.hpp"
#include "actors/ports/event_history.hpp"
#include "actors/ports/identity_store.hpp"
#include "actors/ports/services/credential_store.hpp"
#include "actors/ports/services/idempotency_store.hpp"
#include "actors/ports/services/notification_store.hpp"
#include "actors/ports/services/outbox_store.hpp"
#include "actors/ports/services/read_model_store.hpp"
#include "actors/ports/services/reminder_store.hpp"
#include "actors/ports/services/webhook_store.hpp"
#include "actors/ports/task_store.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/task_gateway.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::runtime {

// What a node runs on, in words, for its start-up log line and the ready
// file: a kind and where it is, with no password.
struct backend_summary {
  std::string store;           // "sqlite FILE" or "postgres URL"
  std::string bus;             // "in-process" or "nats URL"
  std::string cache = "none";  // or "redis URL"
};

struct backends {
  std::shared_ptr<ports::task_store> tasks;
  std::shared_ptr<ports::identity_store> identities;
  std::shared_ptr<ports::credential_store> credentials;
  std::shared_ptr<ports::outbox_store> outbox;
  // What the projector writes through.
  std::shared_ptr<ports::read_model_store> projection;
  // What list queries read through (the cache, when there is one).
  std::shared_ptr<ports::read_model_store> queries;
  // Idempotency-Key records, in the same store so every edge shares them.
  std::shared_ptr<ports::idempotency_store> idempotency;
  // The notification feed, written by the notification consumer.
  std::shared_ptr<ports::notification_store> notifications;
  std::shared_ptr<ports::event_bus> bus;
  // Each aggregate's committed events, for the admin API.
  std::shared_ptr<ports::event_history> history;
  // The tasks' reminder timers, as the timer wheel scans them.
  std::shared_ptr<ports::reminder_store> reminders;
  // Webhook endpoints and their deliveries, in the same store so every
  // node's dispatcher works one queue.
  std::shared_ptr<ports::webhook_store> webhooks;
  std::vector<dependency_check> checks;
  backend_summary summary;
};

caf::expected<backends> open_backends(const config& cfg, const logger& log, metrics& stats);

}  // namespace taskflow::runtime
