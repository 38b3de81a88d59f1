// Which worker owns which shard: rendezvous (highest random weight) hashing.
// Every node computes the same table from the same set of live workers, with
// no coordination, and a worker joining or leaving moves only the shards it
// wins or held (about 1/N of them). The hash is fixed (FNV-1a 64 of the id,
// then a splitmix64 finalizer with the shard number) so every process and
// platform agrees; std::hash promises neither. Keys map to shards in
// runtime/sharding/shard_key.hpp; this maps shards to workers only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace taskflow::cluster {

// The worker with the highest score for this shard; "" when there is none.
std::string rendezvous_owner(std::uint32_t shard, const std::vector<std::string>& workers);

// owners[s] is the owner of shard s, for every one of shard_count shards. The
// order of workers does not matter.
std::vector<std::string> place_shards(std::uint32_t shard_count, const std::vector<std::string>& workers);

// The shards whose owner differs between two placements of the same size.
std::vector<std::uint32_t> moved_shards(const std::vector<std::string>& before, const std::vector<std::string>& after);

}  // namespace taskflow::cluster
