// List queries through the Redis query cache, projections straight to the
// store followed by a cache invalidation: the cache is invalidated by the
// events themselves, on whichever node projects them. Redis is only an
// accelerator: when it is down, slow, or its breaker is open, queries go to
// the store and answers stay correct. An invalidation that could not reach
// Redis is owed: until it succeeds this node does not read the cache, and
// the short TTL bounds what other nodes may still see.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "actors/ports/services/read_model_store.hpp"
#include "persistence/redis/redis_query_cache.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/resilience/dependency_guard.hpp"

namespace taskflow::runtime {

class cached_read_model final : public ports::read_model_store {
public:
  cached_read_model(std::shared_ptr<ports::read_model_store> store,
                    std::shared_ptr<persistence::redis_query_cache> cache, std::shared_ptr<dependency_guard> guard,
                    metrics* stats);

  caf::expected<std::vector<ports::projection_outcome>> project(
      const std::string& consumer, const std::vector<messages::EventEnvelope>& events) override;
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) override;
  // Cached like offset pages, under keys of their own: the position is part
  // of the query, and the same generation bump retires every page.
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) override;
  caf::expected<ports::view_mark> view_mark_of(const std::string& task_id) override;
  caf::expected<void> ping() override;

private:
  using page_source = caf::expected<messages::TaskPage> (ports::read_model_store::*)(const messages::ListTasksQuery&);
  caf::expected<messages::TaskPage> cached_list(std::string key, const messages::ListTasksQuery& query,
                                                page_source source);
  bool settle_owed_invalidation();
  void count(const char* outcome);

  std::shared_ptr<ports::read_model_store> store_;
  std::shared_ptr<persistence::redis_query_cache> cache_;
  std::shared_ptr<dependency_guard> guard_;
  metrics* stats_;
  std::atomic<bool> invalidation_owed_{false};
};

}  // namespace taskflow::runtime
