// What every store adapter must do for reminder timers: a task's commit
// writes its next reminder time and its reminder mark with its state, a later
// commit moves or cancels the timer, both survive a restart, and the wheel's
// scan finds what rings by a time, earliest first, in pages with exact
// boundaries. Each case runs on SQLite in a fresh file and on PostgreSQL in a
// fresh database on a real server.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "actors/task/task_reminders.hpp"
#include "tests/integration/persistence/store_adapters.hpp"

using namespace taskflow;

namespace {

constexpr std::int64_t hour = 3'600'000;

messages::TaskCommand with_due(const std::string& id, std::int64_t due) {
  messages::TaskCommand cmd;
  cmd.set_task_id(id);
  cmd.mutable_principal()->set_id(testing::owner);
  cmd.mutable_update()->set_due_at_ms(due);
  return cmd;
}

messages::TaskCommand remind(const std::string& id) {
  messages::TaskCommand cmd;
  cmd.set_task_id(id);
  cmd.mutable_remind();
  return cmd;
}

// Commits `cmd` the way the task actor does, timer included; answers the new state.
task::task_state commit(testing::store_adapter& a, const task::task_state& state, const messages::TaskCommand& cmd,
                        std::int64_t now) {
  auto c = testing::commit_for(state, cmd, now);
  c.remind_at_ms = task::next_reminder_at(c.next, task::default_reminder_lead);
  REQUIRE(testing::commit_and_wait(*a.tasks, c));
  return c.next;
}

std::vector<ports::reminder_timer> due(testing::store_adapter& a, std::int64_t until,
                                       std::optional<ports::reminder_timer> after = {}, std::size_t limit = 100) {
  auto found = a.reminders->due_reminders(until, after, limit);
  REQUIRE(found);
  return *found;
}

}  // namespace

TEST_CASE("a task's commit stores its reminder timer and mark, and a restart keeps them", "[reminder_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      auto id = testing::new_id();
      auto state = testing::create(a, id, 1000);
      CHECK(due(a, 1000 * hour).empty());

      state = commit(a, state, with_due(id, 10 * hour), 2000);
      CHECK(due(a, 9 * hour - 1).empty());
      CHECK(due(a, 9 * hour) == std::vector<ports::reminder_timer>{{id, 9 * hour}});

      // The due_soon reminder rings: its mark is stored and the timer moves to the due date.
      state = commit(a, state, remind(id), 9 * hour);
      auto reopened = a.reopen();
      auto loaded = reopened.tasks->load_task(id);
      REQUIRE(loaded);
      REQUIRE(*loaded);
      CHECK((*loaded)->reminded == task::reminder_mark{messages::REMINDER_KIND_DUE_SOON, 10 * hour});
      CHECK((*loaded)->snapshot.version() == state.snapshot.version());
      CHECK(due(reopened, 9 * hour).empty());
      CHECK(due(reopened, 10 * hour) == std::vector<ports::reminder_timer>{{id, 10 * hour}});

      // Overdue, the last: no timer is left.
      state = commit(reopened, *std::move(*loaded), remind(id), 10 * hour + 5);
      CHECK(state.reminded.kind == messages::REMINDER_KIND_OVERDUE);
      CHECK(due(reopened, 1000 * hour).empty());
      auto again = reopened.tasks->load_task(id);
      REQUIRE(again);
      CHECK((*again)->reminded == task::reminder_mark{messages::REMINDER_KIND_OVERDUE, 10 * hour});
    }
  }
}

TEST_CASE("completing or deleting a task cancels its timer", "[reminder_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      auto done_id = testing::new_id();
      auto gone_id = testing::new_id();
      auto done = commit(a, testing::create(a, done_id), with_due(done_id, 10 * hour), 2000);
      auto gone = commit(a, testing::create(a, gone_id), with_due(gone_id, 10 * hour), 2000);
      REQUIRE(due(a, 10 * hour).size() == 2);

      auto finish = with_due(done_id, 10 * hour);
      finish.mutable_update()->set_status(messages::TASK_STATUS_CANCELLED);
      commit(a, done, finish, 3000);
      messages::TaskCommand erase;
      erase.set_task_id(gone_id);
      erase.mutable_principal()->set_id(testing::owner);
      erase.mutable_delete_task();
      commit(a, gone, erase, 3000);
      CHECK(due(a, 1000 * hour).empty());
    }
  }
}

TEST_CASE("the scan finds timers by time, earliest first, in exact pages", "[reminder_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      // Two share a time: the id orders them. One is long past (a node that was down).
      std::vector<std::pair<std::string, std::int64_t>> tasks;
      for (std::int64_t due_at : {11 * hour, 3 * hour, 11 * hour, 20 * hour, 2 * hour})
        tasks.emplace_back(testing::new_id(), due_at);
      for (auto& [id, due_at] : tasks)
        commit(a, testing::create(a, id), with_due(id, due_at), 1000);

      std::vector<ports::reminder_timer> all;
      std::optional<ports::reminder_timer> after;
      for (;;) {
        auto page = due(a, 10 * hour, after, 2);
        if (page.empty())
          break;
        CHECK(page.size() <= 2);
        all.insert(all.end(), page.begin(), page.end());
        after = page.back();
      }
      auto [first_tie, second_tie] = std::minmax(tasks[0].first, tasks[2].first);
      CHECK(all == std::vector<ports::reminder_timer>{{tasks[4].first, 1 * hour},
                                                      {tasks[1].first, 2 * hour},
                                                      {first_tie, 10 * hour},
                                                      {second_tie, 10 * hour}});
    }
  }
}
