// Who owns which shard, as one node sees the cluster at one moment. Tables
// are immutable: a membership change builds a new one and swaps it in, so a
// request resolves its whole route against one consistent view.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace taskflow::cluster {

struct shard_table {
  // Names the placement (the set of up workers); equal epochs mean equal
  // owners on every node.
  std::uint64_t epoch = 0;
  std::uint32_t shard_count = 0;
  std::vector<std::string> owners;                                 // node id per shard; "" while no worker is up
  std::unordered_map<std::string, std::string> cluster_addresses;  // node id -> "host:port"

  // "" when the shard has no owner (no worker up, or out of range).
  const std::string& owner_of(std::uint32_t shard) const;
};

// The table of a node that is the whole cluster: it owns every shard.
std::shared_ptr<const shard_table> single_node_table(const std::string& node_id, std::uint32_t shard_count);

}  // namespace taskflow::cluster
