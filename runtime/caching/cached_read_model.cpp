#include "runtime/caching/cached_read_model.hpp"

#include <algorithm>

namespace taskflow::runtime {

cached_read_model::cached_read_model(std::shared_ptr<ports::read_model_store> store,
                                     std::shared_ptr<persistence::redis_query_cache> cache,
                                     std::shared_ptr<dependency_guard> guard, metrics* stats)
    : store_(std::move(store)), cache_(std::move(cache)), guard_(std::move(guard)), stats_(stats) {}

void cached_read_model::count(const char* outcome) {
  if (stats_)
    stats_->cache_lookups.Add({{"cache", "tasks"}, {"outcome", outcome}}).Increment();
}

caf::expected<std::vector<ports::projection_outcome>> cached_read_model::project(
    const std::string& consumer, const std::vector<messages::EventEnvelope>& events) {
  auto outcomes = store_->project(consumer, events);
  if (!outcomes)
    return outcomes;
  bool changed =
      std::any_of(outcomes->begin(), outcomes->end(), [](auto o) { return o == ports::projection_outcome::applied; });
  // Owed before trying: a reader racing with us must not trust the cache.
  if (changed || invalidation_owed_) {
    invalidation_owed_ = true;
    settle_owed_invalidation();
  }
  return outcomes;
}

bool cached_read_model::settle_owed_invalidation() {
  if (!invalidation_owed_)
    return true;
  if (!guard_->call(false, [&] { return cache_->invalidate(); }))
    return false;
  invalidation_owed_ = false;
  return true;
}

caf::expected<messages::TaskPage> cached_read_model::list_tasks(const messages::ListTasksQuery& query) {
  return cached_list(query.SerializeAsString(), query, &ports::read_model_store::list_tasks);
}

caf::expected<messages::TaskPage> cached_read_model::list_tasks_keyset(const messages::ListTasksQuery& query) {
  return cached_list("keyset:" + query.SerializeAsString(), query, &ports::read_model_store::list_tasks_keyset);
}

caf::expected<messages::TaskPage> cached_read_model::cached_list(std::string key, const messages::ListTasksQuery& query,
                                                                 page_source source) {
  auto& store = *store_;
  if (!settle_owed_invalidation()) {
    count("bypass");
    return (store.*source)(query);
  }
  auto lookup = guard_->call(false, [&] { return cache_->get(key); });
  if (!lookup) {
    count("bypass");
    return (store.*source)(query);
  }
  if (lookup->value) {
    messages::TaskPage page;
    if (page.ParseFromString(*lookup->value)) {
      count("hit");
      return page;
    }
  }
  count("miss");
  auto page = (store.*source)(query);
  if (page)
    (void)guard_->call(false, [&] { return cache_->put(lookup->generation, key, page->SerializeAsString()); });
  return page;
}

caf::expected<ports::view_mark> cached_read_model::view_mark_of(const std::string& task_id) {
  return store_->view_mark_of(task_id);
}

caf::expected<void> cached_read_model::ping() {
  return store_->ping();
}

}  // namespace taskflow::runtime
