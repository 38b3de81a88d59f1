// How a node on its own routes: every shard to its own shard host, reached
// through its service handle, as the node does it.
#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "cluster/placement/shard_table.hpp"
#include "runtime/edge_api/shard_requester.hpp"
#include "runtime/sharding/shard_router.hpp"

namespace taskflow::testing {

inline runtime::shard_request_env single_node_routing(caf::actor_system& system) {
  constexpr std::uint32_t shards = 16;
  return {std::make_shared<runtime::shard_router>(runtime::shard_host_handle{system}, "test-node",
                                                  cluster::single_node_table("test-node", shards), nullptr),
          nullptr};
}

}  // namespace taskflow::testing
