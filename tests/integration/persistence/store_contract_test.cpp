// The store contract: what every adapter behind the store ports must do. Each
// case runs against every adapter: SQLite in a fresh file, and PostgreSQL in a
// fresh database on a real server that tools/stack/stack starts for the run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <random>
#include <thread>

#include "actors/task/task_decider.hpp"
#include "tests/integration/persistence/store_adapters.hpp"
#include "tests/integration/persistence/task_commits.hpp"

using namespace taskflow;
using testing::commit_for;
using testing::create;
using testing::create_cmd;
using testing::new_id;
using testing::owner;
using adapter = testing::store_adapter;

namespace {

const std::string other = "01a20f1d-0000-7000-8000-000000000002";

// Distinct numbers for principals the cases make up.
std::atomic<int> principal_counter{0};

void project_all(adapter& a) {
  auto unsent = a.outbox->fetch_unsent(10'000);
  REQUIRE(unsent);
  std::vector<std::int64_t> seqs;
  for (auto& entry : *unsent) {
    REQUIRE(a.reads->project("projector", {entry.event}));
    seqs.push_back(entry.seq);
  }
  REQUIRE(a.outbox->mark_sent(seqs));
}

messages::ListTasksQuery list_as(const std::string& viewer, bool admin = false) {
  messages::ListTasksQuery q;
  q.set_viewer_id(viewer);
  q.set_viewer_is_admin(admin);
  q.set_limit(50);
  return q;
}

}  // namespace

TEST_CASE("store contract", "[store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();

      SECTION("a task never created loads as nothing") {
        auto loaded = a.tasks->load_task(new_id());
        REQUIRE(loaded);
        CHECK_FALSE(loaded->has_value());
      }

      SECTION("a committed task loads back exactly") {
        auto id = new_id();
        auto state = create(a, id);
        auto loaded = a.tasks->load_task(id);
        REQUIRE(loaded);
        REQUIRE(loaded->has_value());
        CHECK((*loaded)->snapshot.SerializeAsString() == state.snapshot.SerializeAsString());
        CHECK_FALSE((*loaded)->deleted);
      }

      SECTION("optimistic concurrency: only the writer at the expected version wins") {
        auto id = new_id();
        auto v1 = create(a, id);
        messages::TaskCommand rename = create_cmd(id);
        rename.mutable_update()->set_title("first");
        auto winner = commit_for(v1, rename, 2000);
        rename.mutable_update()->set_title("second");
        auto loser = commit_for(v1, rename, 2001);
        REQUIRE(testing::commit_and_wait(*a.tasks, winner));
        auto lost = testing::commit_and_wait(*a.tasks, loser);
        REQUIRE_FALSE(lost);
        CHECK(ports::is(lost.error(), ports::store_errc::conflict));
        CHECK((*a.tasks->load_task(id))->snapshot.title() == "first");

        task::task_state fresh;
        fresh.snapshot.set_id(id);
        auto again = testing::commit_and_wait(*a.tasks, commit_for(fresh, create_cmd(id), 3000));
        REQUIRE_FALSE(again);
        CHECK(ports::is(again.error(), ports::store_errc::conflict));
      }

      SECTION("state, events and outbox commit together or not at all") {
        auto before = a.outbox->backlog();
        REQUIRE(before);
        auto id = new_id();
        auto v1 = create(a, id);
        CHECK(*a.outbox->backlog() == *before + 1);
        messages::TaskCommand rename = create_cmd(id);
        rename.mutable_update()->set_title("x");
        auto stale = commit_for(v1, rename, 2000);
        stale.expected_version = 5;
        CHECK_FALSE(testing::commit_and_wait(*a.tasks, stale));
        CHECK(*a.outbox->backlog() == *before + 1);
      }

      SECTION("the outbox hands out unsent events in commit order until marked sent") {
        project_all(a);
        std::vector<std::string> ids{new_id(), new_id(), new_id()};
        for (auto& id : ids)
          create(a, id);
        auto unsent = a.outbox->fetch_unsent(10);
        REQUIRE(unsent);
        REQUIRE(unsent->size() == 3);
        for (std::size_t i = 0; i < 3; ++i)
          CHECK((*unsent)[i].event.aggregate_id() == ids[i]);
        CHECK((*unsent)[0].seq < (*unsent)[1].seq);
        CHECK(a.outbox->fetch_unsent(2)->size() == 2);
        REQUIRE(a.outbox->mark_sent({(*unsent)[0].seq, (*unsent)[1].seq}));
        auto rest = a.outbox->fetch_unsent(10);
        REQUIRE(rest->size() == 1);
        CHECK(rest->front().event.aggregate_id() == ids[2]);
        CHECK(*a.outbox->backlog() == 1);
        REQUIRE(a.outbox->mark_sent({rest->front().seq}));
        CHECK(*a.outbox->prune_sent(std::numeric_limits<std::int64_t>::max()) >= 3);
      }

      SECTION("the natural key is unique per owner and freed by deletion") {
        auto first = new_id();
        task::task_state fresh;
        fresh.snapshot.set_id(first);
        auto ext = std::make_pair(std::string{"jira"}, "PROJ-" + first);
        auto made = commit_for(fresh, create_cmd(first, owner, ext), 1000);
        REQUIRE(testing::commit_and_wait(*a.tasks, made));

        auto second = new_id();
        fresh.snapshot.set_id(second);
        auto dup = testing::commit_and_wait(*a.tasks, commit_for(fresh, create_cmd(second, owner, ext), 1001));
        REQUIRE_FALSE(dup);
        CHECK(ports::is(dup.error(), ports::store_errc::duplicate_key));
        CHECK(ports::error_detail(dup.error()) == first);
        CHECK_FALSE(a.tasks->load_task(second)->has_value());

        // Another owner may use the same key.
        auto third = new_id();
        fresh.snapshot.set_id(third);
        CHECK(testing::commit_and_wait(*a.tasks, commit_for(fresh, create_cmd(third, other, ext), 1002)));

        messages::TaskCommand del = create_cmd(first);
        del.mutable_delete_task();
        REQUIRE(testing::commit_and_wait(*a.tasks, commit_for(made.next, del, 1003)));
        fresh.snapshot.set_id(second);
        CHECK(testing::commit_and_wait(*a.tasks, commit_for(fresh, create_cmd(second, owner, ext), 1004)));
      }

      SECTION("projection applies each event once per consumer") {
        auto id = new_id();
        create(a, id);
        auto unsent = a.outbox->fetch_unsent(10'000);
        const auto& event = unsent->back().event;
        using outcomes = std::vector<ports::projection_outcome>;
        CHECK(*a.reads->project("projector", {event}) == outcomes{ports::projection_outcome::applied});
        CHECK(*a.reads->project("projector", {event}) == outcomes{ports::projection_outcome::duplicate});
        CHECK(*a.reads->project("someone-else", {event}) == outcomes{ports::projection_outcome::applied});
        // Within one batch, a repeat is a duplicate too.
        auto other = new_id();
        create(a, other);
        auto fresh = a.outbox->fetch_unsent(10'000)->back().event;
        CHECK(*a.reads->project("projector", {fresh, fresh}) ==
              outcomes{ports::projection_outcome::applied, ports::projection_outcome::duplicate});
      }

      SECTION("the read model lists visible tasks newest first, filtered and paged") {
        project_all(a);
        auto viewer = "01a20f1d-0000-7000-8000-" + std::to_string(100000000000 + ++principal_counter);
        std::vector<std::string> mine;
        for (int i = 0; i < 5; ++i) {
          mine.push_back(new_id());
          create(a, mine.back(), 10'000 + i, viewer);
        }
        create(a, new_id(), 20'000, other);
        auto done_id = mine[1];
        auto state = *a.tasks->load_task(done_id).value();
        messages::TaskCommand move = create_cmd(done_id, viewer);
        move.mutable_update()->set_status(messages::TASK_STATUS_IN_PROGRESS);
        REQUIRE(testing::commit_and_wait(*a.tasks, commit_for(state, move, 30'000)));
        project_all(a);

        auto page = a.reads->list_tasks(list_as(viewer));
        REQUIRE(page);
        CHECK(page->total() == 5);
        REQUIRE(page->items_size() == 5);
        CHECK(page->items(0).id() == mine[4]);
        CHECK(page->items(4).id() == mine[0]);
        CHECK(page->items(3).status() == messages::TASK_STATUS_IN_PROGRESS);

        auto q = list_as(viewer);
        q.set_status(messages::TASK_STATUS_IN_PROGRESS);
        auto filtered = a.reads->list_tasks(q);
        REQUIRE(filtered->items_size() == 1);
        CHECK(filtered->items(0).id() == done_id);

        q = list_as(viewer);
        q.set_limit(2);
        q.set_offset(2);
        auto paged = a.reads->list_tasks(q);
        CHECK(paged->total() == 5);
        REQUIRE(paged->items_size() == 2);
        CHECK(paged->items(0).id() == mine[2]);

        auto admin = a.reads->list_tasks(list_as(other, true));
        CHECK(admin->total() >= 6);
      }

      SECTION("an assignee sees the task and can filter by assignee") {
        project_all(a);
        auto assignee = "01a20f1d-0000-7000-8000-" + std::to_string(200000000000 + ++principal_counter);
        auto id = new_id();
        task::task_state fresh;
        fresh.snapshot.set_id(id);
        auto cmd = create_cmd(id, owner);
        cmd.mutable_create()->add_assignees(assignee);
        REQUIRE(testing::commit_and_wait(*a.tasks, commit_for(fresh, cmd, 1000)));
        project_all(a);
        auto seen = a.reads->list_tasks(list_as(assignee));
        REQUIRE(seen->items_size() == 1);
        CHECK(seen->items(0).id() == id);
        auto q = list_as(owner, true);
        q.set_assignee_id(assignee);
        CHECK(a.reads->list_tasks(q)->total() == 1);
      }

      SECTION("late, older events never roll a view back or resurrect a deleted task") {
        project_all(a);
        auto id = new_id();
        auto v1 = create(a, id);
        auto created_event = a.outbox->fetch_unsent(10)->back().event;
        project_all(a);
        messages::TaskCommand del = create_cmd(id);
        del.mutable_delete_task();
        REQUIRE(testing::commit_and_wait(*a.tasks, commit_for(v1, del, 2000)));
        project_all(a);
        // A redelivery of the creation, under a new consumer so the inbox lets it through.
        CHECK(a.reads->project("replayer", {created_event}));
        auto q = list_as(owner, true);
        auto page = a.reads->list_tasks(q);
        for (const auto& t : page->items())
          CHECK(t.id() != id);
      }

      SECTION("one batch of events leaves each view at its task's newest event, whatever their order") {
        auto viewer = "01a20f1d-0000-7000-8000-" + std::to_string(300000000000 + ++principal_counter);
        auto helper = "01a20f1d-0000-7000-8000-" + std::to_string(400000000000 + ++principal_counter);
        auto moved = new_id();
        auto gone = new_id();
        auto kept = new_id();
        auto created = create(a, moved, 1000, viewer);
        auto doomed = create(a, gone, 1001, viewer);
        create(a, kept, 1002, viewer);
        messages::TaskCommand assign = create_cmd(moved, viewer);
        assign.mutable_update()->set_replace_assignees(true);
        assign.mutable_update()->add_assignees(helper);
        auto assigned = commit_for(created, assign, 2000);
        REQUIRE(testing::commit_and_wait(*a.tasks, assigned));
        messages::TaskCommand start = create_cmd(moved, viewer);
        start.mutable_update()->set_status(messages::TASK_STATUS_IN_PROGRESS);
        start.mutable_update()->set_replace_assignees(true);
        REQUIRE(testing::commit_and_wait(*a.tasks, commit_for(assigned.next, start, 3000)));
        messages::TaskCommand del = create_cmd(gone, viewer);
        del.mutable_delete_task();
        REQUIRE(testing::commit_and_wait(*a.tasks, commit_for(doomed, del, 2000)));

        auto unsent = a.outbox->fetch_unsent(10'000);
        REQUIRE(unsent);
        std::vector<messages::EventEnvelope> batch;
        for (auto& entry : *unsent)
          batch.push_back(entry.event);
        // Three creations, the assignment, the start (more than one event
        // when it changes status too) and the deletion.
        REQUIRE(batch.size() >= 6);
        std::reverse(batch.begin(), batch.end());
        auto outcomes = a.reads->project("projector", batch);
        REQUIRE(outcomes);
        CHECK(*outcomes == std::vector<ports::projection_outcome>(batch.size(), ports::projection_outcome::applied));

        auto page = a.reads->list_tasks(list_as(viewer));
        REQUIRE(page);
        REQUIRE(page->items_size() == 2);
        CHECK(page->items(0).id() == kept);
        CHECK(page->items(1).id() == moved);
        CHECK(page->items(1).status() == messages::TASK_STATUS_IN_PROGRESS);
        CHECK(page->items(1).assignees_size() == 0);
        CHECK(a.reads->list_tasks(list_as(helper))->total() == 0);
        // Creations delivered again, to a consumer whose inbox lets them
        // through: the tombstone keeps the deleted task away, and the moved
        // one stays at its newest version.
        std::vector<messages::EventEnvelope> creations;
        std::copy_if(batch.begin(), batch.end(), std::back_inserter(creations),
                     [](const messages::EventEnvelope& e) { return e.has_task_created(); });
        REQUIRE(a.reads->project("replayer", creations));
        auto again = a.reads->list_tasks(list_as(viewer));
        REQUIRE(again->items_size() == 2);
        CHECK(again->items(1).status() == messages::TASK_STATUS_IN_PROGRESS);
      }

      SECTION("data survives reopening the store") {
        auto id = new_id();
        create(a, id);
        auto again = a.reopen();
        auto loaded = again.tasks->load_task(id);
        REQUIRE(loaded);
        CHECK(loaded->has_value());
      }

      SECTION("concurrent writers on distinct tasks all commit") {
        // Commits are built here: Catch2 assertions belong on the main thread.
        std::vector<ports::task_commit> commits;
        for (int i = 0; i < 40; ++i) {
          task::task_state fresh;
          fresh.snapshot.set_id(new_id());
          commits.push_back(commit_for(fresh, create_cmd(fresh.snapshot.id()), 1000));
        }
        std::atomic<int> ok{0};
        std::vector<std::thread> writers;
        for (int w = 0; w < 4; ++w)
          writers.emplace_back([&, w] {
            for (int i = w; i < 40; i += 4)
              if (testing::commit_and_wait(*a.tasks, commits[i]))
                ++ok;
          });
        for (auto& t : writers)
          t.join();
        CHECK(ok == 40);
      }
    }
  }
}
