#include "runtime/identity/verified_token_cache.hpp"

namespace taskflow::runtime {

std::optional<access_claims> verified_token_cache::find(std::string_view token, std::int64_t now_s) const {
  std::lock_guard lock{mutex_};
  auto it = entries_.find(std::string{token});
  if (it == entries_.end() || it->second.expires_at_s <= now_s)
    return std::nullopt;
  return it->second;
}

void verified_token_cache::remember(std::string_view token, const access_claims& claims) {
  std::lock_guard lock{mutex_};
  // Dropping everything when full is crude but bounded, and a miss only
  // costs one verification.
  if (entries_.size() >= capacity_)
    entries_.clear();
  entries_.emplace(std::string{token}, claims);
}

}  // namespace taskflow::runtime
