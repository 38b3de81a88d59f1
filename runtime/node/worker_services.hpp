// What a worker runs under its supervisor: the shard host, which activates
// task, user and session actors from the kinds table, and the services that
// move events along (projector, notification consumer, outbox relay), send
// webhooks (dispatcher), sweep expired Idempotency-Key records, ring the
// tasks' due-date reminders (the node's one timer wheel) and answer the admin
// API. An edge-only node runs none of them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/admin/cluster_directory.hpp"
#include "runtime/config/config.hpp"
#include "runtime/node/backends.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/observability/tracing/trace_buffer.hpp"
#include "runtime/sharding/activation_table.hpp"
#include "runtime/sharding/shard_admission.hpp"
#include "runtime/supervision/supervisor.hpp"
#include "runtime/webhooks/endpoint_breakers.hpp"

namespace taskflow::runtime {

struct worker_wiring {
  caf::actor_system& system;
  const config& cfg;
  const logger& log;
  metrics& stats;
  const backends& ports;
  ports::blocking_executor* store_pool;
  // Where webhook POSTs run, apart from store calls; and this node's
  // breaker per endpoint, which the admin API reads too.
  ports::blocking_executor* webhook_pool;
  std::shared_ptr<endpoint_breakers> webhook_breakers;
  std::shared_ptr<shard_admission> admission;
  std::shared_ptr<const cluster_directory> directory;
  // Tells the outbox relay a commit is waiting, so it need not wait for its poll.
  std::function<void()> nudge_relay;
  // An actor activated or passivated ("activation", "passivation"), by key.
  std::function<void(const char* kind, const std::string& key)> lifecycle;
  // The node's recent traces, which its admin agent serves to any edge.
  std::shared_ptr<const trace_buffer> traces;
};

// The aggregate kinds a key may name, each with the actor it activates.
activation_factory aggregate_kinds(const worker_wiring& w);

std::vector<child_spec> worker_services(const worker_wiring& w);

}  // namespace taskflow::runtime
