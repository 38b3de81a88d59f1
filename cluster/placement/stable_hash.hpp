// FNV-1a 64: the hash of keys, worker ids and placements. Stable across
// processes, platforms and releases, which std::hash does not promise, so
// every node computes the same shard for a key and the same placement.
#pragma once

#include <cstdint>
#include <string_view>

namespace taskflow::cluster {

constexpr std::uint64_t fnv1a_64(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace taskflow::cluster
