#include "runtime/identity/api_key_cache.hpp"

#include <algorithm>

namespace taskflow::runtime {

api_key_cache::api_key_cache(std::size_t capacity, std::chrono::milliseconds ttl)
    : capacity_(std::max<std::size_t>(1, capacity)), ttl_(ttl) {}

std::optional<messages::Principal> api_key_cache::find(const std::string& key_hash, clock::time_point now) {
  std::lock_guard lock{mutex_};
  auto it = entries_.find(key_hash);
  if (it == entries_.end())
    return std::nullopt;
  if (now - it->second.stored_at >= ttl_) {
    order_.erase(it->second.position);
    entries_.erase(it);
    return std::nullopt;
  }
  order_.splice(order_.begin(), order_, it->second.position);
  return it->second.principal;
}

std::uint64_t api_key_cache::evictions() const {
  std::lock_guard lock{mutex_};
  return evictions_;
}

void api_key_cache::remember(const std::string& key_hash, messages::Principal principal, std::uint64_t evictions_before,
                             clock::time_point now) {
  std::lock_guard lock{mutex_};
  if (evictions_ != evictions_before)
    return;
  if (auto it = entries_.find(key_hash); it != entries_.end()) {
    it->second.principal = std::move(principal);
    it->second.stored_at = now;
    order_.splice(order_.begin(), order_, it->second.position);
    return;
  }
  if (entries_.size() >= capacity_) {
    entries_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(key_hash);
  entries_.emplace(key_hash, entry{std::move(principal), now, order_.begin()});
}

void api_key_cache::evict(const std::string& key_hash) {
  std::lock_guard lock{mutex_};
  ++evictions_;
  auto it = entries_.find(key_hash);
  if (it == entries_.end())
    return;
  order_.erase(it->second.position);
  entries_.erase(it);
}

}  // namespace taskflow::runtime
