// The one actor a worker publishes on its CAF middleman port. Other nodes
// send it the commands for shards this node serves, and the admin agent's
// requests; it hands each to the local service's current incarnation (its
// service handle), so a restarted shard host needs no republishing. A worker
// that dialed it offers its own entry here, which goes to `remote`.
#pragma once

#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "cluster/peers/peer_connections.hpp"
#include "runtime/supervision/service_handle.hpp"

namespace taskflow::runtime {

struct remote_entry_deps {
  std::string node_id;
  std::shared_ptr<cluster::peer_connections> remote;
  shard_host_handle shard_host;
  admin_agent_handle admin_agent;
};

caf::behavior remote_entry(caf::event_based_actor* self, remote_entry_deps deps);

}  // namespace taskflow::runtime
