// Keys ("task/<uuid>") hash to a fixed number of shards with FNV-1a 64;
// placement of shards on nodes builds on this.
#pragma once

#include <cstdint>
#include <string_view>

#include "cluster/placement/stable_hash.hpp"

namespace taskflow::runtime {

inline constexpr std::uint32_t default_shard_count = 1024;

constexpr std::uint32_t shard_of(std::string_view key, std::uint32_t shard_count = default_shard_count) {
  return static_cast<std::uint32_t>(cluster::fnv1a_64(key) % shard_count);
}

}  // namespace taskflow::runtime
