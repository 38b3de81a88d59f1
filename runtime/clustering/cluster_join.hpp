// How a node enters the cluster: it publishes its remote entry (workers),
// joins the membership bucket in state "joining" and starts the coordinator,
// which keeps the router's shard table and the shard host's admission in step
// with the members. The node turns itself "up" later, once its shard host runs.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "cluster/membership/nats_membership.hpp"
#include "cluster/peers/peer_connections.hpp"
#include "runtime/clustering/coordination_status.hpp"
#include "runtime/config/config.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/sharding/shard_admission.hpp"
#include "runtime/sharding/shard_router.hpp"

namespace taskflow::runtime {

// What joining made; the node stops it all when it stops.
struct cluster_presence {
  std::shared_ptr<cluster::nats_membership> membership;
  std::shared_ptr<cluster::peer_connections> remote;
  std::shared_ptr<shard_router> router;
  std::shared_ptr<shard_admission> admission;  // workers only
  caf::actor entry;                            // workers only
  caf::actor coordinator;
};

struct cluster_join_env {
  caf::actor_system& system;
  const config& cfg;
  const logger& log;
  metrics& stats;
  std::shared_ptr<coordination_status> status;
  // Membership and placement changes, for the admin event stream.
  std::function<void(const std::string& kind, nlohmann::json detail)> on_event;
  // The coordinator stopped for a reason other than shutdown.
  std::function<void(const caf::error& reason)> on_coordinator_failed;
};

// Fills `into` as it goes, so that what a failed join started is still
// stopped by whoever owns `into`.
caf::expected<void> join_cluster(const cluster_join_env& env, cluster_presence& into);

}  // namespace taskflow::runtime
