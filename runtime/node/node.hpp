// Bootstraps one TaskFlow node: picks the store and bus adapters from the
// configuration, starts the actor system and the supervision tree (shard host,
// outbox relay, projector, idempotency sweeper, webhook dispatcher), and hands the edge its routing handle.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include <caf/expected.hpp>

#include "runtime/admin/admin_gateway.hpp"
#include "runtime/admin/runtime_events.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/idempotency_gateway.hpp"
#include "runtime/edge_api/identity_gateway.hpp"
#include "runtime/edge_api/notification_gateway.hpp"
#include "runtime/edge_api/task_gateway.hpp"
#include "runtime/edge_api/webhook_gateway.hpp"
#include "runtime/node/backends.hpp"
#include "runtime/notifications/live_notifications.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::runtime {

class node {
public:
  static caf::expected<std::unique_ptr<node>> start(const config& cfg, const logger& log, metrics& stats);
  ~node();

  task_gateway& gateway();
  identity_gateway& identity();
  idempotency_gateway& idempotency();
  webhook_gateway& webhooks();
  admin_gateway& admin();
  notification_gateway& notifications();
  // This edge's live notification streams.
  live_notifications& live();

  // The admin stream's feed. Activations, passivations and domain events are
  // published by the node itself; publish() is for the rest (membership and
  // shard changes, other nodes' events). An empty node or zero at_ms is
  // filled in with this node and now.
  runtime_events& events();
  void publish(runtime_event event);

  // The address the edge listens on once it has bound (port 0 picks one),
  // for the cluster map and the other members.
  void set_http_address(std::string address);

  // What this node runs on (store, bus, cache), in words and without secrets.
  const backend_summary& runs_on() const;

  // False once supervision gave up; the process should then exit non-zero.
  bool healthy() const;

  // The first half of a graceful exit (SIGTERM): marks this node "leaving",
  // so the placement moves its shards to the other workers, and waits until
  // its shard host has passivated their actors and the handoff is
  // acknowledged, or until `timeout`. Requests keep flowing meanwhile: this
  // node's edge routes them to the new owners. No-op outside a cluster.
  void leave(std::chrono::milliseconds timeout);

  // Stops the supervision tree and the actor system. Idempotent.
  void stop();

private:
  struct impl;
  explicit node(std::unique_ptr<impl> self);
  std::unique_ptr<impl> self_;
};

}  // namespace taskflow::runtime
