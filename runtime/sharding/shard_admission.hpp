// Which shards this node's shard host may serve right now. The cluster
// coordinator writes it on every membership change; the shard host reads it
// on every message, so reads are a lock-free load.
//
//   serve    this node owns the shard and its previous owner has let go;
//   pending  this node owns it, but the previous owner is still handing it
//            off (passivating its actors), so activating now would make two
//            live copies;
//   foreign  another node owns it.
// A fenced node (cut off from the membership bucket) serves nothing, so a
// partition cannot leave two nodes writing for one shard.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace taskflow::runtime {

enum class shard_access : std::uint8_t { serve, pending, foreign };

class shard_admission {
public:
  // Starts with every shard `initial`: serve for a single node, foreign for a
  // cluster member until its first table arrives.
  shard_admission(std::uint32_t shard_count, shard_access initial);

  std::uint32_t shard_count() const { return static_cast<std::uint32_t>(access_.size()); }
  shard_access access(std::uint32_t shard) const;
  void set(std::uint32_t shard, shard_access access);

  bool fenced() const { return fenced_.load(std::memory_order_acquire); }
  void set_fenced(bool fenced) { fenced_.store(fenced, std::memory_order_release); }

  std::uint32_t count(shard_access access) const;

private:
  std::vector<std::atomic<shard_access>> access_;
  std::atomic<bool> fenced_{false};
};

}  // namespace taskflow::runtime
