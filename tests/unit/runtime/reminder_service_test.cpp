// The reminder wheel as an actor, against a store and a shard host of the
// test's own: a backlog found by the first scan rings each task once, and a
// task whose shard this node does not serve rings only once the shard
// arrives (a handoff).
#include <catch2/catch.hpp>

#include <map>
#include <mutex>

#include <caf/event_based_actor.hpp>

#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/sharding/shard_key.hpp"
#include "runtime/timers/reminder_service.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t shards = 2;

// The tasks' timers, and the rings that reached them. A ring clears its
// task's timer, as the task's commit does.
struct task_table final : ports::reminder_store {
  caf::expected<std::vector<ports::reminder_timer>> due_reminders(std::int64_t until_ms,
                                                                  const std::optional<ports::reminder_timer>& after,
                                                                  std::size_t limit) override {
    std::lock_guard lock{mutex};
    std::vector<ports::reminder_timer> out;
    for (const auto& [id, at] : timers)
      if (at <= until_ms && (!after || std::pair{at, id} > std::pair{after->remind_at_ms, after->task_id}))
        out.push_back({id, at});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::pair{a.remind_at_ms, a.task_id} < std::pair{b.remind_at_ms, b.task_id};
    });
    if (out.size() > limit)
      out.resize(limit);
    return out;
  }

  void rung(const std::string& id) {
    std::lock_guard lock{mutex};
    ++rings[id];
    timers.erase(id);
  }

  int rings_of(const std::string& id) {
    std::lock_guard lock{mutex};
    return rings.count(id) ? rings[id] : 0;
  }

  std::mutex mutex;
  std::map<std::string, std::int64_t> timers;
  std::map<std::string, int> rings;
};

caf::behavior fake_shard_host(caf::event_based_actor*, std::shared_ptr<task_table> table) {
  return {[table](const messages::TaskCommand& cmd) {
    // Not a Catch assertion: this runs on an actor thread.
    if (cmd.has_remind())
      table->rung(cmd.task_id());
    messages::TaskReply reply;
    reply.mutable_task()->set_id(cmd.task_id());
    return reply;
  }};
}

// A task id of the given shard.
std::string task_on(std::uint32_t shard, int nth) {
  for (int i = 0;; ++i) {
    auto id = "01a20f1d-e9b0-73d9-98cf-" + std::to_string(100000000000 + i);
    if (runtime::shard_of("task/" + id, shards) == shard && nth-- == 0)
      return id;
  }
}

struct wheel_fixture {
  runtime::blocking_pool pool{1, 100};
  testing::test_config cfg;
  caf::actor_system system{cfg};
  std::shared_ptr<task_table> table = std::make_shared<task_table>();
  std::shared_ptr<runtime::shard_admission> admission =
      std::make_shared<runtime::shard_admission>(shards, runtime::shard_access::serve);
  caf::actor host = system.spawn(fake_shard_host, table);
  caf::actor wheel;

  void start() {
    system.registry().put(runtime::shard_host_name, host);
    runtime::reminder_service_config config;
    config.scan_interval = 50ms;
    config.horizon = 1s;
    config.shard_check_interval = 10ms;
    wheel = system.spawn(runtime::reminder_service, config,
                         runtime::reminder_service_deps{table, &pool, clock_now, admission,
                                                        runtime::shard_host_handle{system}, nullptr, nullptr});
  }

  ~wheel_fixture() {
    testing::stop_actor(system, wheel);
    testing::stop_actor(system, host);
  }

  static std::int64_t clock_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

TEST_CASE("a backlog found by the first scan rings each task once", "[reminder_service]") {
  wheel_fixture f;
  auto now = wheel_fixture::clock_now();
  std::vector<std::string> ids{task_on(0, 0), task_on(1, 0), task_on(0, 1)};
  for (std::size_t i = 0; i < ids.size(); ++i)
    f.table->timers[ids[i]] = now - 3'600'000 + static_cast<std::int64_t>(i);  // an hour of downtime
  f.start();
  CHECK(testing::eventually(
      [&] { return f.table->rings_of(ids[0]) + f.table->rings_of(ids[1]) + f.table->rings_of(ids[2]) == 3; }));
  std::this_thread::sleep_for(200ms);  // several scans later
  for (const auto& id : ids)
    CHECK(f.table->rings_of(id) == 1);
}

TEST_CASE("an announced timer rings on time without waiting for a scan", "[reminder_service]") {
  wheel_fixture f;
  // Before its first scan the wheel takes no announcement (that scan reads
  // the stored timers anyway): one ring tells the scan has happened.
  auto first = task_on(0, 0);
  f.table->timers[first] = wheel_fixture::clock_now();
  f.start();
  REQUIRE(testing::eventually([&] { return f.table->rings_of(first) == 1; }));
  auto id = task_on(1, 0);
  caf::anon_send(f.wheel, runtime::remind_atom::value, id, wheel_fixture::clock_now() + 100, std::string{});
  CHECK(testing::eventually([&] { return f.table->rings_of(id) == 1; }, 2s));
  caf::anon_send(f.wheel, runtime::remind_atom::value, id, wheel_fixture::clock_now() + 100, std::string{});
  caf::anon_send(f.wheel, runtime::remind_atom::value, id);  // cancelled at once
  std::this_thread::sleep_for(300ms);
  CHECK(f.table->rings_of(id) == 1);
}

TEST_CASE("a shard this node does not serve rings only once it arrives", "[reminder_service]") {
  wheel_fixture f;
  f.admission->set(1, runtime::shard_access::foreign);
  auto mine = task_on(0, 0);
  auto theirs = task_on(1, 0);
  auto now = wheel_fixture::clock_now();
  f.table->timers[mine] = now - 10;
  f.table->timers[theirs] = now - 10;
  f.start();
  CHECK(testing::eventually([&] { return f.table->rings_of(mine) == 1; }));
  std::this_thread::sleep_for(200ms);
  CHECK(f.table->rings_of(theirs) == 0);
  // The handoff: the shard is this node's now.
  f.admission->set(1, runtime::shard_access::serve);
  CHECK(testing::eventually([&] { return f.table->rings_of(theirs) == 1; }));
}
