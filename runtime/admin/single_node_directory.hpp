// The cluster directory of the embedded single node: one node, "up", owning
// every shard, whose admin agent is reached through its service handle (so a
// restarted agent is found too).
#pragma once

#include <mutex>

#include <caf/actor_system.hpp>

#include "runtime/admin/cluster_directory.hpp"
#include "runtime/config/config.hpp"
#include "runtime/supervision/service_handle.hpp"

namespace taskflow::runtime {

class single_node_directory final : public cluster_directory {
public:
  single_node_directory(admin_agent_handle agent, const config& cfg, std::int64_t started_at_ms);

  // The address the edge actually listens on (known once it has bound).
  void set_http_address(std::string address);

  std::string cluster_name() const override;
  std::string self_id() const override;
  std::uint32_t shard_count() const override;
  std::vector<std::string> shard_owners() const override;
  std::vector<admin_node_view> nodes() const override;
  std::vector<admin_target> agents() const override;
  std::optional<admin_target> agent_for(const std::string& key) const override;

private:
  admin_agent_handle agent_;
  std::string cluster_;
  std::string node_id_;
  std::uint32_t shard_count_;
  std::vector<std::string> roles_;
  std::int64_t started_at_ms_;
  mutable std::mutex mutex_;
  std::string http_address_;
};

}  // namespace taskflow::runtime
