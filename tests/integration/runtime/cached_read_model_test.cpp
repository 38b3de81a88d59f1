// The Redis query cache in front of a real read model (SQLite here; the
// cache does not care): hits after a miss, invalidation by projected events,
// and correct answers from the store while Redis is down, with the cache in
// use again once it is back.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include "persistence/redis/redis_query_cache.hpp"
#include "persistence/sqlite/sqlite_stores.hpp"
#include "runtime/caching/cached_read_model.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

std::atomic<int> counter{0};

std::shared_ptr<ports::read_model_store> fresh_store() {
  auto dir = std::filesystem::temp_directory_path() /
             ("taskflow-cache-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  return persistence::open_sqlite_stores(dir / "taskflow.db")->read_model;
}

messages::EventEnvelope created(const std::string& id, std::int64_t at) {
  messages::EventEnvelope e;
  e.set_event_id("evt-" + id);
  e.set_aggregate_type("task");
  e.set_aggregate_id(id);
  e.set_version(1);
  auto* t = e.mutable_task_created()->mutable_task();
  t->set_id(id);
  t->set_owner_id("owner");
  t->set_title("t " + id);
  t->set_version(1);
  t->set_created_at_ms(at);
  t->set_updated_at_ms(at);
  return e;
}

messages::ListTasksQuery everything() {
  messages::ListTasksQuery q;
  q.set_viewer_id("owner");
  q.set_limit(100);
  return q;
}

struct fixture {
  explicit fixture(const std::string& redis_url) {
    persistence::redis_options options;
    options.url = redis_url;
    auto client = *persistence::redis_client::create(options);
    auto cache = std::make_shared<persistence::redis_query_cache>(
        client, "test" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ":", 5s);
    runtime::guard_options guard_opts;
    guard_opts.breaker = {2, 200ms, 1};
    guard = std::make_shared<runtime::dependency_guard>("redis", guard_opts, &stats);
    model = std::make_shared<runtime::cached_read_model>(store, cache, guard, &stats);
  }
  double lookups(const std::string& outcome) {
    return stats.cache_lookups.Add({{"cache", "tasks"}, {"outcome", outcome}}).Value();
  }
  runtime::metrics stats;
  std::shared_ptr<ports::read_model_store> store = fresh_store();
  std::shared_ptr<runtime::dependency_guard> guard;
  std::shared_ptr<runtime::cached_read_model> model;
};

}  // namespace

TEST_CASE("a list is served from Redis until an event changes the read model", "[cache]") {
  fixture f{testing::test_stack::shared().redis_url()};
  REQUIRE(f.model->project("projector", {created("a", 1)}));
  CHECK(f.model->list_tasks(everything())->total() == 1);
  CHECK(f.lookups("miss") == 1);
  CHECK(f.model->list_tasks(everything())->total() == 1);
  CHECK(f.lookups("hit") == 1);

  REQUIRE(f.model->project("projector", {created("b", 2)}));
  CHECK(f.model->list_tasks(everything())->total() == 2);
  CHECK(f.lookups("miss") == 2);
  // A redelivered event changes nothing and invalidates nothing.
  REQUIRE(f.model->project("projector", {created("b", 2)}));
  CHECK(f.model->list_tasks(everything())->total() == 2);
  CHECK(f.lookups("hit") == 2);
}

TEST_CASE("with Redis down, lists come from the store, and from the cache again once it returns", "[cache][fault]") {
  testing::test_stack stack;
  fixture f{stack.redis_url()};
  REQUIRE(f.model->project("projector", {created("a", 1)}));
  CHECK(f.model->list_tasks(everything())->total() == 1);

  stack.stop("redis");
  // Projections still succeed (the invalidation is owed) and every answer is
  // right, whether the breaker is closed, open or probing.
  REQUIRE(f.model->project("projector", {created("b", 2)}));
  auto until = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < until) {
    auto page = f.model->list_tasks(everything());
    REQUIRE(page);
    CHECK(page->total() == 2);
    std::this_thread::sleep_for(5ms);
  }
  CHECK(f.lookups("bypass") > 0);
  CHECK(f.guard->breaker().state() != runtime::breaker_state::closed);

  stack.restart("redis");
  REQUIRE(f.model->project("projector", {created("c", 3)}));
  double hits_before = f.lookups("hit");
  until = std::chrono::steady_clock::now() + 10s;
  while (f.lookups("hit") == hits_before && std::chrono::steady_clock::now() < until) {
    auto page = f.model->list_tasks(everything());
    REQUIRE(page);
    CHECK(page->total() == 3);
    std::this_thread::sleep_for(20ms);
  }
  CHECK(f.lookups("hit") > hits_before);
  CHECK(f.guard->breaker().state() == runtime::breaker_state::closed);
}

TEST_CASE("keyset pages are cached apart from offset pages and retired by the same events", "[cache]") {
  fixture f{testing::test_stack::shared().redis_url()};
  REQUIRE(f.model->project("projector", {created("a", 1), created("b", 2)}));
  auto first = everything();
  first.set_limit(1);
  first.mutable_keyset();
  auto page = f.model->list_tasks_keyset(first);
  REQUIRE(page);
  REQUIRE(page->items_size() == 1);
  CHECK(page->items(0).id() == "b");
  CHECK(page->has_more());
  CHECK(f.lookups("miss") == 1);
  CHECK(f.model->list_tasks_keyset(first)->items(0).id() == "b");
  CHECK(f.lookups("hit") == 1);

  // The offset query of the same filter is another entry, with its total.
  auto offset = everything();
  offset.set_limit(1);
  CHECK(f.model->list_tasks(offset)->total() == 2);
  CHECK(f.lookups("miss") == 2);

  auto second = first;
  auto* after = second.mutable_keyset()->mutable_after();
  after->set_created_at_ms(2);
  after->set_id("b");
  page = f.model->list_tasks_keyset(second);
  REQUIRE(page);
  REQUIRE(page->items_size() == 1);
  CHECK(page->items(0).id() == "a");
  CHECK_FALSE(page->has_more());

  REQUIRE(f.model->project("projector", {created("c", 3)}));
  page = f.model->list_tasks_keyset(first);
  REQUIRE(page);
  CHECK(page->items(0).id() == "c");
  CHECK(f.lookups("hit") == 1);
}
