// Names a placement: the set of up workers, each with its incarnation. Every
// node computes the same epoch from the same members, so "I finished handing
// off epoch E" means the same thing on every node. A restarted worker has a
// new incarnation and so starts a new epoch even under its old id.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace taskflow::runtime {

// (node id, incarnation) of each up worker, in any order.
std::uint64_t placement_epoch(std::vector<std::pair<std::string, std::uint64_t>> up_workers);

}  // namespace taskflow::runtime
