#include "cluster/placement/shard_table.hpp"

namespace taskflow::cluster {

const std::string& shard_table::owner_of(std::uint32_t shard) const {
  static const std::string none;
  return shard < owners.size() ? owners[shard] : none;
}

std::shared_ptr<const shard_table> single_node_table(const std::string& node_id, std::uint32_t shard_count) {
  auto table = std::make_shared<shard_table>();
  table->shard_count = shard_count;
  table->owners.assign(shard_count, node_id);
  return table;
}

}  // namespace taskflow::cluster
