// What the PostgreSQL adapter promises beyond the store contract: several
// nodes on one database (migrations, outbox claims) and group commit that
// keeps one conflicting commit from failing its batch.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <thread>

#include "actors/task/task_decider.hpp"
#include "persistence/postgres/pg_stores.hpp"
#include "tests/integration/persistence/task_commits.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;

namespace {

const std::string owner = "01a20f1d-0000-7000-8000-00000000000a";

std::string fresh_database() {
  static std::atomic<int> counter{0};
  return testing::test_stack::shared().create_database("pg_" + std::to_string(::getpid()) + "_" +
                                                       std::to_string(counter++));
}

std::atomic<int> id_counter{0};
std::string new_id() {
  char buf[40];
  std::snprintf(buf, sizeof buf, "01a20f1d-e9b0-73d9-98cf-%012d", ++id_counter);
  return buf;
}

ports::task_commit create_commit(const std::string& id, std::optional<std::string> external_id = {}) {
  task::task_state fresh;
  fresh.snapshot.set_id(id);
  messages::TaskCommand cmd;
  cmd.set_task_id(id);
  cmd.mutable_principal()->set_id(owner);
  cmd.mutable_create()->set_title("t");
  if (external_id) {
    cmd.mutable_create()->mutable_external_ref()->set_source("jira");
    cmd.mutable_create()->mutable_external_ref()->set_id(*external_id);
  }
  auto decided = task::decide(fresh, cmd, {1000});
  REQUIRE(std::holds_alternative<std::vector<messages::EventEnvelope>>(decided));
  ports::task_commit commit;
  commit.next = fresh;
  for (auto& e : std::get<std::vector<messages::EventEnvelope>>(decided)) {
    e.set_event_id(new_id());
    commit.next = task::apply(std::move(commit.next), e);
    commit.events.push_back(std::move(e));
  }
  return commit;
}

// The next version of a stored task with a new title.
ports::task_commit update_commit(const ports::task_commit& stored, const std::string& title) {
  messages::TaskCommand cmd;
  cmd.set_task_id(stored.next.snapshot.id());
  cmd.mutable_principal()->set_id(owner);
  cmd.mutable_update()->set_title(title);
  auto decided = task::decide(stored.next, cmd, {2000});
  REQUIRE(std::holds_alternative<std::vector<messages::EventEnvelope>>(decided));
  ports::task_commit commit;
  commit.expected_version = stored.next.snapshot.version();
  commit.next = stored.next;
  for (auto& e : std::get<std::vector<messages::EventEnvelope>>(decided)) {
    e.set_event_id(new_id());
    commit.next = task::apply(std::move(commit.next), e);
    commit.events.push_back(std::move(e));
  }
  return commit;
}

persistence::store_ports open(const std::string& url, std::string instance = "a",
                              std::chrono::milliseconds lease = std::chrono::seconds{30}) {
  persistence::pg_options options;
  options.conninfo = url;
  options.instance_id = std::move(instance);
  options.claim_lease = lease;
  auto stores = persistence::open_pg_stores(options);
  if (!stores)
    FAIL(ports::error_text(stores.error()));
  return *stores;
}

}  // namespace

TEST_CASE("nodes starting together on an empty database all migrate it", "[postgres]") {
  auto url = fresh_database();
  std::atomic<int> opened{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 4; ++i)
    nodes.emplace_back([&] {
      persistence::pg_options options;
      options.conninfo = url;
      if (persistence::open_pg_stores(options))
        ++opened;
    });
  for (auto& t : nodes)
    t.join();
  CHECK(opened == 4);
}

TEST_CASE("a conflict inside a commit batch fails only its own commit", "[postgres]") {
  auto store = open(fresh_database());
  auto taken = create_commit(new_id(), "KEY-1");
  REQUIRE(testing::commit_and_wait(*store.tasks, taken));
  auto existing = create_commit(new_id());
  REQUIRE(testing::commit_and_wait(*store.tasks, existing));

  // Many commits at once so they share batches: most are fine, some collide
  // on the natural key or on an existing id.
  std::vector<ports::task_commit> commits;
  std::vector<int> expect;  // 0 ok, 1 duplicate_key, 2 conflict
  for (int i = 0; i < 60; ++i) {
    if (i % 10 == 3) {
      commits.push_back(create_commit(new_id(), "KEY-1"));
      expect.push_back(1);
    } else if (i % 10 == 7) {
      auto again = existing;
      for (auto& e : again.events)
        e.set_event_id(new_id());
      commits.push_back(again);
      expect.push_back(2);
    } else {
      commits.push_back(create_commit(new_id()));
      expect.push_back(0);
    }
  }
  std::vector<int> got(commits.size(), -1);
  std::vector<std::thread> writers;
  for (std::size_t i = 0; i < commits.size(); ++i)
    writers.emplace_back([&, i] {
      auto r = testing::commit_and_wait(*store.tasks, commits[i]);
      got[i] = r                                                        ? 0
               : ports::is(r.error(), ports::store_errc::duplicate_key) ? 1
               : ports::is(r.error(), ports::store_errc::conflict)      ? 2
                                                                        : 9;
    });
  for (auto& t : writers)
    t.join();
  CHECK(got == expect);
  // Exactly the successful commits left events in the outbox.
  CHECK(*store.outbox->backlog() == 2 + std::count(expect.begin(), expect.end(), 0));
}

TEST_CASE("outbox rows claimed by one node are skipped by another until the claim lapses", "[postgres]") {
  auto url = fresh_database();
  auto a = open(url, "node-a", std::chrono::milliseconds{300});
  auto b = open(url, "node-b", std::chrono::milliseconds{300});
  for (int i = 0; i < 3; ++i)
    REQUIRE(testing::commit_and_wait(*a.tasks, create_commit(new_id())));
  CHECK(a.outbox->fetch_unsent(10)->size() == 3);
  CHECK(b.outbox->fetch_unsent(10)->empty());
  CHECK(a.outbox->fetch_unsent(10)->size() == 3);  // a relay retrying its own claim
  std::this_thread::sleep_for(std::chrono::milliseconds{400});
  auto taken_over = b.outbox->fetch_unsent(10);
  REQUIRE(taken_over->size() == 3);
  std::vector<std::int64_t> seqs;
  for (auto& e : *taken_over)
    seqs.push_back(e.seq);
  REQUIRE(b.outbox->mark_sent(seqs));
  CHECK(*a.outbox->backlog() == 0);
}

TEST_CASE("an unreachable server is an unavailable error, not an exception", "[postgres]") {
  persistence::pg_options options;
  options.conninfo = "postgresql://taskflow@127.0.0.1:1/taskflow";
  auto stores = persistence::open_pg_stores(options);
  REQUIRE_FALSE(stores);
  CHECK(ports::is(stores.error(), ports::store_errc::unavailable));
}

TEST_CASE("a batch writes many tasks at once, each exactly as sent, and one version wins a race", "[postgres]") {
  std::vector<std::size_t> batch_sizes;
  std::mutex sizes_mutex;
  persistence::pg_options options;
  options.conninfo = fresh_database();
  options.observer.batch_written = [&](std::size_t n) {
    std::lock_guard lock{sizes_mutex};
    batch_sizes.push_back(n);
  };
  std::atomic<int> retried{0};
  options.observer.batch_retried = [&] { ++retried; };
  auto opened = persistence::open_pg_stores(options);
  REQUIRE(opened);
  auto store = *opened;

  // Text that an array literal must escape survives the multi-row statements.
  const std::string awkward = "he said \"hi\" \\ {a,b} NULL, 'x' \u00e9";
  std::vector<ports::task_commit> created;
  for (int i = 0; i < 40; ++i)
    created.push_back(create_commit(new_id()));
  std::vector<std::thread> writers;
  for (auto& c : created)
    writers.emplace_back([&store, &c] { REQUIRE(testing::commit_and_wait(*store.tasks, c)); });
  for (auto& t : writers)
    t.join();
  writers.clear();

  // Every task gets an update; every fourth task gets a second, rival update
  // from the same version (what an old and a new activation would send
  // during a handoff). Exactly one of each pair may win.
  std::vector<ports::task_commit> updates;
  for (std::size_t i = 0; i < created.size(); ++i) {
    updates.push_back(update_commit(created[i], awkward + " #" + std::to_string(i)));
    if (i % 4 == 0)
      updates.push_back(update_commit(created[i], "rival #" + std::to_string(i)));
  }
  std::vector<int> ok(updates.size(), 0);
  for (std::size_t i = 0; i < updates.size(); ++i)
    writers.emplace_back([&, i] {
      auto r = testing::commit_and_wait(*store.tasks, updates[i]);
      ok[i] = r ? 1 : ports::is(r.error(), ports::store_errc::conflict) ? 0 : 9;
    });
  for (auto& t : writers)
    t.join();

  int won = 0;
  for (std::size_t i = 0, u = 0; i < created.size(); ++i) {
    bool rival = i % 4 == 0;
    int first = ok[u];
    int second = rival ? ok[u + 1] : 0;
    CHECK(first != 9);
    CHECK(second != 9);
    CHECK(first + second == 1);
    auto loaded = store.tasks->load_task(created[i].next.snapshot.id());
    REQUIRE(loaded);
    REQUIRE(*loaded);
    const auto& winner = first == 1 ? updates[u] : updates[u + 1];
    CHECK((*loaded)->snapshot.title() == winner.next.snapshot.title());
    CHECK((*loaded)->snapshot.version() == created[i].next.snapshot.version() + 1);
    won += first + second;
    u += rival ? 2 : 1;
  }
  CHECK(won == static_cast<int>(created.size()));
  // The creates' events and the winning updates' events, no more.
  auto events_per_update = static_cast<std::int64_t>(updates.front().events.size());
  CHECK(*store.outbox->backlog() ==
        static_cast<std::int64_t>(created.size() * created.front().events.size()) + won * events_per_update);
  // Version races are settled by the multi-row statements themselves: no
  // batch had to be written again commit by commit.
  CHECK(retried == 0);
  // Every commit was counted in exactly one batch.
  std::lock_guard lock{sizes_mutex};
  CHECK(std::accumulate(batch_sizes.begin(), batch_sizes.end(), std::size_t{0}) == created.size() + updates.size());
}
