// Sessions and API keys this edge must refuse although their credentials
// still verify: a logged-out session's access tokens until they would have
// expired anyway, and revoked API keys. Filled at start from the store and
// then by revocation events from the bus, so every edge of a cluster refuses
// them; the node that handled a logout also adds it at once, before answering.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace taskflow::runtime {

class revocation_set {
public:
  void revoke(const std::string& id, std::int64_t until_ms);
  bool is_revoked(const std::string& id, std::int64_t now_ms) const;
  // Forgets entries that no longer matter; called now and then.
  void prune(std::int64_t now_ms);
  std::size_t size() const;

private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::int64_t> until_;
};

}  // namespace taskflow::runtime
