// Keys ("task/<uuid>") hash to a fixed number of shards; placement of shards
// on nodes builds on this. The hash is FNV-1a 64: stable across processes,
// platforms and releases, which std::hash does not promise.
#pragma once

#include <cstdint>
#include <string_view>

namespace taskflow::runtime {

inline constexpr std::uint32_t default_shard_count = 1024;

constexpr std::uint64_t fnv1a_64(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

constexpr std::uint32_t shard_of(std::string_view key, std::uint32_t shard_count = default_shard_count) {
  return static_cast<std::uint32_t>(fnv1a_64(key) % shard_count);
}

}  // namespace taskflow::runtime
