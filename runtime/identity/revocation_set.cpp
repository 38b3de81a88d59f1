#include "runtime/identity/revocation_set.hpp"

#include <algorithm>

namespace taskflow::runtime {

void revocation_set::revoke(const std::string& id, std::int64_t until_ms) {
  std::lock_guard lock{mutex_};
  auto& until = until_[id];
  until = std::max(until, until_ms);
}

bool revocation_set::is_revoked(const std::string& id, std::int64_t now_ms) const {
  std::lock_guard lock{mutex_};
  auto it = until_.find(id);
  return it != until_.end() && it->second > now_ms;
}

void revocation_set::prune(std::int64_t now_ms) {
  std::lock_guard lock{mutex_};
  std::erase_if(until_, [now_ms](const auto& entry) { return entry.second <= now_ms; });
}

std::size_t revocation_set::size() const {
  std::lock_guard lock{mutex_};
  return until_.size();
}

}  // namespace taskflow::runtime
