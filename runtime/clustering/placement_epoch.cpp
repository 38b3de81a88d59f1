#include "runtime/clustering/placement_epoch.hpp"

#include <algorithm>

#include "cluster/placement/stable_hash.hpp"

namespace taskflow::runtime {

std::uint64_t placement_epoch(std::vector<std::pair<std::string, std::uint64_t>> up_workers) {
  std::sort(up_workers.begin(), up_workers.end());
  std::string text;
  for (const auto& [id, incarnation] : up_workers)
    text += id + '@' + std::to_string(incarnation) + '\n';
  // 0 is reserved for "no handoff acknowledged yet".
  auto epoch = cluster::fnv1a_64(text);
  return epoch == 0 ? 1 : epoch;
}

}  // namespace taskflow::runtime
