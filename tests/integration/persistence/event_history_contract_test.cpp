// The event_history contract on every adapter (SQLite in a fresh file,
// PostgreSQL in a fresh database of a real server): an aggregate's events,
// newest first, bounded, only its own, each with the command that made it.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>

#include "actors/task/task_decider.hpp"
#include "persistence/postgres/pg_stores.hpp"
#include "persistence/sqlite/sqlite_stores.hpp"
#include "tests/integration/persistence/task_commits.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;
namespace fs = std::filesystem;

namespace {

const std::string owner = "01a20f1d-0000-7000-8000-000000000001";

struct adapter {
  std::shared_ptr<ports::task_store> tasks;
  std::shared_ptr<ports::event_history> history;
};

std::vector<std::pair<std::string, std::function<adapter()>>> adapters() {
  static std::atomic<int> counter{0};
  return {{"sqlite",
           [] {
             auto dir = fs::temp_directory_path() /
                        ("taskflow-history-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
             fs::remove_all(dir);
             auto stores = persistence::open_sqlite_stores(dir / "taskflow.db");
             REQUIRE(stores);
             return adapter{stores->tasks, stores->history};
           }},
          {"postgres", [] {
             persistence::pg_options options;
             options.conninfo = testing::test_stack::shared().create_database("history_" + std::to_string(::getpid()) +
                                                                              "_" + std::to_string(counter++));
             auto stores = persistence::open_pg_stores(options);
             if (!stores)
               FAIL(ports::error_text(stores.error()));
             return adapter{stores->tasks, stores->history};
           }}};
}

// Commits the command the way a task actor does and returns the new state.
task::task_state run(adapter& a, const task::task_state& state, const messages::TaskCommand& cmd, std::int64_t now) {
  auto commit = testing::commit_for(state, cmd, now);
  REQUIRE(testing::commit_and_wait(*a.tasks, commit));
  return commit.next;
}

task::task_state create_with_updates(adapter& a, const std::string& id, int updates) {
  task::task_state state;
  state.snapshot.set_id(id);
  messages::TaskCommand create;
  create.set_task_id(id);
  create.set_command_id("create-" + id);
  create.mutable_principal()->set_id(owner);
  create.mutable_create()->set_title("v1");
  state = run(a, state, create, 1000);
  for (int i = 0; i < updates; ++i) {
    messages::TaskCommand update;
    update.set_task_id(id);
    update.set_command_id("update-" + std::to_string(i + 2) + "-" + id);
    update.mutable_principal()->set_id(owner);
    update.mutable_update()->set_title("v" + std::to_string(i + 2));
    state = run(a, state, update, 2000 + i);
  }
  return state;
}

}  // namespace

TEST_CASE("event history contract", "[event_history]") {
  for (auto& [name, make] : adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      auto id = testing::new_id();
      auto other = testing::new_id();
      create_with_updates(a, id, 4);
      create_with_updates(a, other, 1);

      SECTION("an aggregate's events come newest first, each with its payload") {
        auto events = a.history->recent_events("task", id, 20);
        REQUIRE(events);
        REQUIRE(events->size() == 5);
        for (std::size_t i = 0; i < events->size(); ++i) {
          CHECK((*events)[i].aggregate_id() == id);
          CHECK((*events)[i].version() == static_cast<std::int64_t>(5 - i));
        }
        CHECK((*events)[0].task_updated().task().title() == "v5");
        CHECK((*events)[4].has_task_created());
        // What a resent command looks for: the command that made each event.
        CHECK((*events)[0].command_id() == "update-5-" + id);
        CHECK((*events)[4].command_id() == "create-" + id);
      }

      SECTION("the limit keeps the newest") {
        auto events = a.history->recent_events("task", id, 2);
        REQUIRE(events);
        REQUIRE(events->size() == 2);
        CHECK((*events)[0].version() == 5);
        CHECK((*events)[1].version() == 4);
      }

      SECTION("an unknown aggregate or another type has no events") {
        auto none = a.history->recent_events("task", testing::new_id(), 20);
        REQUIRE(none);
        CHECK(none->empty());
        auto wrong_type = a.history->recent_events("user", id, 20);
        REQUIRE(wrong_type);
        CHECK(wrong_type->empty());
      }
    }
  }
}
