#include "runtime/sharding/shard_admission.hpp"

namespace taskflow::runtime {

shard_admission::shard_admission(std::uint32_t shard_count, shard_access initial) : access_(shard_count) {
  for (auto& a : access_)
    a.store(initial, std::memory_order_relaxed);
}

shard_access shard_admission::access(std::uint32_t shard) const {
  if (fenced() || shard >= access_.size())
    return shard_access::foreign;
  return access_[shard].load(std::memory_order_acquire);
}

void shard_admission::set(std::uint32_t shard, shard_access access) {
  if (shard < access_.size())
    access_[shard].store(access, std::memory_order_release);
}

std::uint32_t shard_admission::count(shard_access access) const {
  std::uint32_t n = 0;
  for (const auto& a : access_)
    n += a.load(std::memory_order_relaxed) == access ? 1 : 0;
  return n;
}

}  // namespace taskflow::runtime
