#include "runtime/clustering/membership_directory.hpp"

#include <unordered_map>

#include "runtime/sharding/shard_key.hpp"

namespace taskflow::runtime {

membership_directory::membership_directory(admin_agent_handle local_agent, std::string cluster,
                                           std::shared_ptr<cluster::nats_membership> members,
                                           std::shared_ptr<shard_router> router,
                                           std::shared_ptr<cluster::peer_connections> remote)
    : local_agent_(local_agent),
      cluster_(std::move(cluster)),
      members_(std::move(members)),
      router_(std::move(router)),
      remote_(std::move(remote)) {}

std::string membership_directory::cluster_name() const {
  return cluster_;
}

std::string membership_directory::self_id() const {
  return router_->self_id();
}

std::uint32_t membership_directory::shard_count() const {
  return router_->table()->shard_count;
}

std::vector<std::string> membership_directory::shard_owners() const {
  return router_->table()->owners;
}

std::vector<admin_node_view> membership_directory::nodes() const {
  auto table = router_->table();
  std::unordered_map<std::string, std::uint32_t> owned;
  for (const auto& owner : table->owners)
    ++owned[owner];
  std::vector<admin_node_view> out;
  for (const auto& m : members_->snapshot().members)
    out.push_back({m.id, m.roles, std::string{cluster::to_string(m.state)}, m.http_address, m.cluster_address,
                   m.started_at_ms, owned[m.id]});
  return out;
}

std::optional<admin_target> membership_directory::agent_of(const std::string& node_id) const {
  if (node_id == router_->self_id()) {
    auto local = local_agent_.current();
    if (!local)
      return std::nullopt;
    return admin_target{node_id, std::move(local)};
  }
  // The entry hands admin requests on to its node's agent.
  auto entry = remote_->get(node_id);
  if (!entry)
    return std::nullopt;
  return admin_target{node_id, std::move(entry)};
}

std::vector<admin_target> membership_directory::agents() const {
  std::vector<admin_target> out;
  for (const auto& m : members_->snapshot().members)
    if (m.is_worker())
      if (auto agent = agent_of(m.id))
        out.push_back(std::move(*agent));
  return out;
}

std::optional<admin_target> membership_directory::agent_for(const std::string& key) const {
  auto table = router_->table();
  const auto& owner = table->owner_of(shard_of(key, table->shard_count));
  if (owner.empty())
    return std::nullopt;
  return agent_of(owner);
}

}  // namespace taskflow::runtime
