// Bootstraps one TaskFlow node: picks the store and bus adapters from the
// configuration, starts the actor system and the supervision tree (shard host,
// outbox relay, projector, idempotency sweeper), and hands the edge its routing handle.
#pragma once

#include <atomic>
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

  // Stops the supervision tree and the actor system. Idempotent.
  void stop();

private:
  struct impl;
  explicit node(std::unique_ptr<impl> self);
  std::unique_ptr<impl> self_;
};

}  // namespace taskflow::runtime
