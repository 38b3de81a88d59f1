// Keyset paging of the read model (read_model_store::list_tasks_keyset):
// newest first, exact page boundaries on ties, filters and visibility applied,
// and no task repeated or skipped while new tasks arrive between pages. Each
// case runs on SQLite in a fresh file and on PostgreSQL in a fresh database
// on a real server that tools/stack/stack starts for the run.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <set>

#include "persistence/postgres/pg_stores.hpp"
#include "persistence/sqlite/sqlite_stores.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;
namespace fs = std::filesystem;

namespace {

const std::string owner = "01a20f1d-0000-7000-8000-000000000001";
const std::string other = "01a20f1d-0000-7000-8000-000000000002";

struct adapter {
  std::shared_ptr<ports::read_model_store> reads;
};

fs::path fresh_dir() {
  static std::atomic<int> counter{0};
  auto dir =
      fs::temp_directory_path() / ("taskflow-keyset-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  return dir;
}

std::string fresh_database() {
  static std::atomic<int> counter{0};
  return testing::test_stack::shared().create_database("keyset_" + std::to_string(::getpid()) + "_" +
                                                       std::to_string(counter++));
}

std::vector<std::pair<std::string, std::function<adapter()>>> adapters() {
  return {{"sqlite",
           [] {
             auto stores = persistence::open_sqlite_stores(fresh_dir() / "taskflow.db");
             REQUIRE(stores);
             return adapter{stores->read_model};
           }},
          {"postgres", [] {
             persistence::pg_options options;
             options.conninfo = fresh_database();
             auto stores = persistence::open_pg_stores(options);
             if (!stores)
               FAIL(ports::error_text(stores.error()));
             return adapter{stores->read_model};
           }}};
}

int sequence = 0;

std::string task_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "01a20f1d-e9b0-73d9-98cf-%012d", n);
  return buf;
}

// Projects a created task straight into the read model.
void add_task(adapter& a, int n, std::int64_t created_at, const std::string& who = owner,
              messages::TaskStatus status = messages::TASK_STATUS_TODO, std::vector<std::string> assignees = {}) {
  messages::EventEnvelope e;
  e.set_event_id("event-" + std::to_string(++sequence));
  e.set_aggregate_type("task");
  e.set_aggregate_id(task_id(n));
  e.set_version(1);
  auto* t = e.mutable_task_created()->mutable_task();
  t->set_id(task_id(n));
  t->set_title("task " + std::to_string(n));
  t->set_status(status);
  t->set_owner_id(who);
  for (auto& id : assignees)
    t->add_assignees(id);
  t->set_created_at_ms(created_at);
  t->set_updated_at_ms(created_at);
  t->set_version(1);
  REQUIRE(a.reads->project("projector", {e}));
}

messages::ListTasksQuery query(int limit, const std::string& viewer = owner, bool admin = false) {
  messages::ListTasksQuery q;
  q.set_viewer_id(viewer);
  q.set_viewer_is_admin(admin);
  q.set_limit(limit);
  q.mutable_keyset();
  return q;
}

messages::TaskPage page(adapter& a, const messages::ListTasksQuery& q) {
  auto p = a.reads->list_tasks_keyset(q);
  REQUIRE(p);
  return *p;
}

messages::ListTasksQuery after_last(messages::ListTasksQuery q, const messages::TaskPage& p) {
  const auto& last = p.items(p.items_size() - 1);
  auto* at = q.mutable_keyset()->mutable_after();
  at->set_created_at_ms(last.created_at_ms());
  at->set_id(last.id());
  return q;
}

std::vector<std::string> ids_of(const messages::TaskPage& p) {
  std::vector<std::string> out;
  for (const auto& t : p.items())
    out.push_back(t.id());
  return out;
}

}  // namespace

TEST_CASE("keyset paging of task lists", "[keyset]") {
  for (auto& [name, open] : adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = open();

      SECTION("pages walk newest first and say when more follow") {
        for (int n = 1; n <= 5; ++n)
          add_task(a, n, 1000 + n);
        auto first = page(a, query(2));
        CHECK(ids_of(first) == std::vector<std::string>{task_id(5), task_id(4)});
        CHECK(first.has_more());
        auto second = page(a, after_last(query(2), first));
        CHECK(ids_of(second) == std::vector<std::string>{task_id(3), task_id(2)});
        CHECK(second.has_more());
        auto third = page(a, after_last(query(2), second));
        CHECK(ids_of(third) == std::vector<std::string>{task_id(1)});
        CHECK_FALSE(third.has_more());
      }

      SECTION("a page that ends exactly at the last task says nothing follows") {
        add_task(a, 1, 1000);
        add_task(a, 2, 2000);
        CHECK_FALSE(page(a, query(2)).has_more());
      }

      SECTION("tasks created in the same millisecond are ordered by id, across page boundaries") {
        for (int n = 1; n <= 6; ++n)
          add_task(a, n, 5000);
        std::vector<std::string> seen;
        auto q = query(4);
        auto p = page(a, q);
        for (auto& id : ids_of(p))
          seen.push_back(id);
        p = page(a, after_last(q, p));
        for (auto& id : ids_of(p))
          seen.push_back(id);
        CHECK(seen == std::vector<std::string>{task_id(6), task_id(5), task_id(4), task_id(3), task_id(2), task_id(1)});
      }

      SECTION("tasks created between pages neither repeat nor push older ones out") {
        for (int n = 1; n <= 6; ++n)
          add_task(a, n, 1000 + n);
        auto q = query(2);
        auto p = page(a, q);
        std::vector<std::string> seen = ids_of(p);
        int next = 100;
        while (p.has_more()) {
          // New tasks land at the top of the list, before the cursor.
          add_task(a, next, 10'000 + next);
          ++next;
          p = page(a, after_last(q, p));
          for (auto& id : ids_of(p))
            seen.push_back(id);
        }
        CHECK(seen == std::vector<std::string>{task_id(6), task_id(5), task_id(4), task_id(3), task_id(2), task_id(1)});
      }

      SECTION("filters and visibility apply to every page") {
        add_task(a, 1, 1001, owner, messages::TASK_STATUS_DONE);
        add_task(a, 2, 1002, owner, messages::TASK_STATUS_TODO, {other});
        add_task(a, 3, 1003, other);
        add_task(a, 4, 1004, other, messages::TASK_STATUS_TODO, {owner});

        CHECK(ids_of(page(a, query(10))) == std::vector<std::string>{task_id(4), task_id(2), task_id(1)});
        CHECK(ids_of(page(a, query(10, other, true))).size() == 4);
        auto done = query(10);
        done.set_status(messages::TASK_STATUS_DONE);
        CHECK(ids_of(page(a, done)) == std::vector<std::string>{task_id(1)});
        auto assigned = query(10, other);
        assigned.set_assignee_id(other);
        CHECK(ids_of(page(a, assigned)) == std::vector<std::string>{task_id(2)});
      }
    }
  }
}
