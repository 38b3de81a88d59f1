// The read-model query cache in Redis, shared by every node. Entries live
// under a generation number; invalidation is one INCR of the generation, so
// whatever any node cached before it is never returned again (and expires
// on its short TTL). A reader puts its answer under the generation it saw
// before reading the store, so an answer read before an invalidation can
// never be stored as if it were newer.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "persistence/redis/redis_client.hpp"

namespace taskflow::persistence {

struct cache_lookup {
  std::string generation;
  std::optional<std::string> value;
};

class redis_query_cache {
public:
  redis_query_cache(std::shared_ptr<redis_client> client, std::string prefix, std::chrono::milliseconds ttl);

  // One round trip: the current generation and the entry under it.
  caf::expected<cache_lookup> get(const std::string& key);
  caf::expected<void> put(const std::string& generation, const std::string& key, const std::string& value);
  caf::expected<void> invalidate();

private:
  std::shared_ptr<redis_client> client_;
  std::string prefix_;
  std::string ttl_ms_;
};

}  // namespace taskflow::persistence
