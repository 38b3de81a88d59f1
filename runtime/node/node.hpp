// Bootstraps one TaskFlow node: picks the store and bus adapters from the
// configuration, starts the actor system and the supervision tree (shard host,
// outbox relay, projector, idempotency sweeper), and hands the edge its routing handle.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include <caf/expected.hpp>

#include "runtime/config/config.hpp"
#include "runtime/gateway/idempotency_gateway.hpp"
#include "runtime/gateway/identity_gateway.hpp"
#include "runtime/gateway/task_gateway.hpp"
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

  // False once supervision gave up; the process should then exit non-zero.
  bool healthy() const;

  // Tells the cluster where this node's HTTP edge listens, once it does
  // (port 0 picks one). No-op outside a cluster.
  void advertise_http(const std::string& address);

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
