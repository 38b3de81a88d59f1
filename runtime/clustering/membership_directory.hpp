// The cluster directory of a cluster member: the nodes as the membership
// bucket shows them, the owners from the router's shard table, and each
// worker's admin agent, reached through that worker's remote entry (this
// node's own agent through its service handle).
#pragma once

#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "cluster/membership/nats_membership.hpp"
#include "cluster/peers/peer_connections.hpp"
#include "runtime/admin/cluster_directory.hpp"
#include "runtime/sharding/shard_router.hpp"
#include "runtime/supervision/service_handle.hpp"

namespace taskflow::runtime {

class membership_directory final : public cluster_directory {
public:
  membership_directory(admin_agent_handle local_agent, std::string cluster,
                       std::shared_ptr<cluster::nats_membership> members, std::shared_ptr<shard_router> router,
                       std::shared_ptr<cluster::peer_connections> remote);

  std::string cluster_name() const override;
  std::string self_id() const override;
  std::uint32_t shard_count() const override;
  std::vector<std::string> shard_owners() const override;
  std::vector<admin_node_view> nodes() const override;
  std::vector<admin_target> agents() const override;
  std::optional<admin_target> agent_for(const std::string& key) const override;

private:
  std::optional<admin_target> agent_of(const std::string& node_id) const;

  admin_agent_handle local_agent_;
  std::string cluster_;
  std::shared_ptr<cluster::nats_membership> members_;
  std::shared_ptr<shard_router> router_;
  std::shared_ptr<cluster::peer_connections> remote_;
};

}  // namespace taskflow::runtime
