// Resolves an aggregate key to the shard host that serves it: this node's
// own, or another worker's remote entry through CAF's middleman. Local keys
// never leave the process. The table is swapped whole on every membership
// change, so one resolution always sees one consistent placement.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "cluster/peers/peer_connections.hpp"
#include "cluster/placement/shard_table.hpp"
#include "runtime/supervision/service_handle.hpp"

namespace taskflow::runtime {

struct route {
  caf::actor target;
  std::string node;
  bool remote = false;
};

class shard_router {
public:
  // `remote` may be null: a single node routes everything to itself.
  shard_router(shard_host_handle local_host, std::string self_id, std::shared_ptr<const cluster::shard_table> table,
               std::shared_ptr<cluster::peer_connections> remote);

  void set_table(std::shared_ptr<const cluster::shard_table> table);
  std::shared_ptr<const cluster::shard_table> table() const;
  const std::string& self_id() const { return self_id_; }
  // This node's own shard host, which local keys go to.
  const shard_host_handle& local_host() const { return local_host_; }

  // Nothing while the shard has no owner yet or the owner's connection is
  // still being made; the caller retries within its deadline.
  std::optional<route> resolve(const std::string& key) const;

  // True when some node can take requests: this node's own shard host in a
  // single node, at least one owner in a cluster.
  bool has_owners() const;

private:
  shard_host_handle local_host_;
  std::string self_id_;
  mutable std::mutex mutex_;
  std::shared_ptr<const cluster::shard_table> table_;
  std::shared_ptr<cluster::peer_connections> remote_;
};

}  // namespace taskflow::runtime
