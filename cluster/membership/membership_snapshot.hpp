// The live members as one node's watcher last delivered them, with the
// cluster's shard count: what a membership change hands to the rest of the
// node.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cluster/membership/member_record.hpp"

namespace taskflow::cluster {

struct membership_snapshot {
  std::uint32_t shard_count = 0;
  std::vector<member_record> members;  // live, sorted by id
  std::string self_id;

  // Ids of the members that are up and have the worker role, sorted: what
  // place_shards takes.
  std::vector<std::string> up_workers() const;
};

// Called with the whole table and one log line per change in it.
using membership_handler =
    std::function<void(const membership_snapshot& snapshot, const std::vector<std::string>& change_lines)>;

}  // namespace taskflow::cluster
