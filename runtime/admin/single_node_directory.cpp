#include "runtime/admin/single_node_directory.hpp"

namespace taskflow::runtime {

single_node_directory::single_node_directory(admin_agent_handle agent, const config& cfg, std::int64_t started_at_ms)
    : agent_(agent),
      cluster_(cfg.cluster),
      node_id_(cfg.node_id),
      shard_count_(cfg.shard_count),
      roles_(cfg.roles),
      started_at_ms_(started_at_ms),
      http_address_(cfg.listen.host + ":" + std::to_string(cfg.listen.port)) {}

void single_node_directory::set_http_address(std::string address) {
  std::lock_guard lock{mutex_};
  http_address_ = std::move(address);
}

std::string single_node_directory::cluster_name() const {
  return cluster_;
}

std::string single_node_directory::self_id() const {
  return node_id_;
}

std::uint32_t single_node_directory::shard_count() const {
  return shard_count_;
}

std::vector<std::string> single_node_directory::shard_owners() const {
  std::vector<std::string> owners(shard_count_, node_id_);
  return owners;
}

std::vector<admin_node_view> single_node_directory::nodes() const {
  std::lock_guard lock{mutex_};
  return {{node_id_, roles_, "up", http_address_, "", started_at_ms_, shard_count_}};
}

std::vector<admin_target> single_node_directory::agents() const {
  auto agent = agent_.current();
  if (!agent)
    return {};
  return {{node_id_, std::move(agent)}};
}

std::optional<admin_target> single_node_directory::agent_for(const std::string&) const {
  auto agent = agent_.current();
  if (!agent)
    return std::nullopt;
  return admin_target{node_id_, std::move(agent)};
}

}  // namespace taskflow::runtime
