// API keys that recently checked out, by the SHA-256 of the key, so a client
// that sends its key on every request reads the store once per `ttl` rather
// than per request. Only successes are kept. A revocation evicts its key at
// once on every node (the ApiKeyRevoked event carries the hash); the ttl
// bounds how long anything the event does not carry (the owner's roles, a
// deleted owner) can be stale. Bounded: the least recently used go first.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "messages/common/principal.pb.h"

namespace taskflow::runtime {

class api_key_cache {
public:
  using clock = std::chrono::steady_clock;

  explicit api_key_cache(std::size_t capacity = 10'000, std::chrono::milliseconds ttl = std::chrono::seconds{30});

  // The key's principal, unless it is not cached or its entry is too old.
  std::optional<messages::Principal> find(const std::string& key_hash, clock::time_point now = clock::now());

  // Read before looking a key up in the store and passed to remember(): a
  // lookup that raced with an eviction is not remembered, so a revocation
  // cannot be undone by a read that started before it.
  std::uint64_t evictions() const;
  void remember(const std::string& key_hash, messages::Principal principal, std::uint64_t evictions_before,
                clock::time_point now = clock::now());
  void evict(const std::string& key_hash);

private:
  struct entry {
    messages::Principal principal;
    clock::time_point stored_at;
    std::list<std::string>::iterator position;
  };

  std::size_t capacity_;
  std::chrono::milliseconds ttl_;
  mutable std::mutex mutex_;
  std::uint64_t evictions_ = 0;
  std::list<std::string> order_;  // most recently used first
  std::unordered_map<std::string, entry> entries_;
};

}  // namespace taskflow::runtime
