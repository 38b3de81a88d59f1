// What the PostgreSQL adapter promises beyond the store contract: several
// nodes on one database (migrations, outbox claims) and group commit that
// keeps one conflicting commit from failing its batch.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "actors/task/task_decider.hpp"
#include "persistence/postgres/pg_store.hpp"
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

std::shared_ptr<persistence::pg_store> open(const std::string& url, std::string instance = "a",
                                            std::chrono::milliseconds lease = std::chrono::seconds{30}) {
  persistence::pg_options options;
  options.conninfo = url;
  options.instance_id = std::move(instance);
  options.claim_lease = lease;
  auto store = persistence::pg_store::open(options);
  if (!store)
    FAIL(ports::error_text(store.error()));
  return *store;
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
      if (persistence::pg_store::open(options))
        ++opened;
    });
  for (auto& t : nodes)
    t.join();
  CHECK(opened == 4);
}

TEST_CASE("a conflict inside a commit batch fails only its own commit", "[postgres]") {
  auto store = open(fresh_database());
  auto taken = create_commit(new_id(), "KEY-1");
  REQUIRE(store->commit(taken));
  auto existing = create_commit(new_id());
  REQUIRE(store->commit(existing));

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
      auto r = store->commit(commits[i]);
      got[i] = r                                                        ? 0
               : ports::is(r.error(), ports::store_errc::duplicate_key) ? 1
               : ports::is(r.error(), ports::store_errc::conflict)      ? 2
                                                                        : 9;
    });
  for (auto& t : writers)
    t.join();
  CHECK(got == expect);
  // Exactly the successful commits left events in the outbox.
  CHECK(*store->backlog() == 2 + std::count(expect.begin(), expect.end(), 0));
}

TEST_CASE("outbox rows claimed by one node are skipped by another until the claim lapses", "[postgres]") {
  auto url = fresh_database();
  auto a = open(url, "node-a", std::chrono::milliseconds{300});
  auto b = open(url, "node-b", std::chrono::milliseconds{300});
  for (int i = 0; i < 3; ++i)
    REQUIRE(a->commit(create_commit(new_id())));
  CHECK(a->fetch_unsent(10)->size() == 3);
  CHECK(b->fetch_unsent(10)->empty());
  CHECK(a->fetch_unsent(10)->size() == 3);  // a relay retrying its own claim
  std::this_thread::sleep_for(std::chrono::milliseconds{400});
  auto taken_over = b->fetch_unsent(10);
  REQUIRE(taken_over->size() == 3);
  std::vector<std::int64_t> seqs;
  for (auto& e : *taken_over)
    seqs.push_back(e.seq);
  REQUIRE(b->mark_sent(seqs));
  CHECK(*a->backlog() == 0);
}

TEST_CASE("an unreachable server is an unavailable error, not an exception", "[postgres]") {
  persistence::pg_options options;
  options.conninfo = "postgresql://taskflow@127.0.0.1:1/taskflow";
  auto store = persistence::pg_store::open(options);
  REQUIRE_FALSE(store);
  CHECK(ports::is(store.error(), ports::store_errc::unavailable));
}
