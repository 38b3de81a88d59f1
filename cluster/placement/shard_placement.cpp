#include "cluster/placement/shard_placement.hpp"

#include <algorithm>

#include "cluster/placement/stable_hash.hpp"

namespace taskflow::cluster {
namespace {

// splitmix64's finalizer: every input bit reaches every output bit, so
// workers whose ids differ in one character still score independently.
constexpr std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30U;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27U;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31U;
  return x;
}

constexpr std::uint64_t score(std::uint32_t shard, std::uint64_t worker_hash) {
  return mix(worker_hash ^ mix(shard + 0x9e3779b97f4a7c15ULL));
}

struct candidate {
  const std::string* id;
  std::uint64_t hash;
};

// Equal scores are all but impossible; breaking them by id still keeps the
// result independent of the order of the workers.
const std::string* best(std::uint32_t shard, const std::vector<candidate>& candidates) {
  const std::string* owner = nullptr;
  std::uint64_t top = 0;
  for (const auto& c : candidates) {
    auto s = score(shard, c.hash);
    if (owner == nullptr || s > top || (s == top && *c.id < *owner)) {
      owner = c.id;
      top = s;
    }
  }
  return owner;
}

std::vector<candidate> candidates_of(const std::vector<std::string>& workers) {
  std::vector<candidate> out;
  out.reserve(workers.size());
  for (const auto& w : workers)
    out.push_back({&w, fnv1a_64(w)});
  return out;
}

}  // namespace

std::string rendezvous_owner(std::uint32_t shard, const std::vector<std::string>& workers) {
  const auto* owner = best(shard, candidates_of(workers));
  return owner ? *owner : std::string{};
}

std::vector<std::string> place_shards(std::uint32_t shard_count, const std::vector<std::string>& workers) {
  auto candidates = candidates_of(workers);
  std::vector<std::string> owners(shard_count);
  for (std::uint32_t s = 0; s < shard_count; ++s)
    if (const auto* owner = best(s, candidates))
      owners[s] = *owner;
  return owners;
}

std::vector<std::uint32_t> moved_shards(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  std::vector<std::uint32_t> moved;
  auto n = std::max(before.size(), after.size());
  for (std::size_t s = 0; s < n; ++s) {
    const auto* b = s < before.size() ? &before[s] : nullptr;
    const auto* a = s < after.size() ? &after[s] : nullptr;
    if (!b || !a || *b != *a)
      moved.push_back(static_cast<std::uint32_t>(s));
  }
  return moved;
}

}  // namespace taskflow::cluster
