// Virtual activation: first message activates, idle actors passivate, the LRU
// cap evicts, and a crashed actor comes back from the store on its next message.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <optional>

#include <caf/scoped_actor.hpp>

#include "actors/task/task_actor.hpp"
#include "runtime/atoms.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/sharding/activation_table.hpp"
#include "runtime/sharding/shard_host.hpp"
#include "runtime/sharding/shard_key.hpp"
#include "tests/unit/support/memory_task_store.hpp"
#include "tests/unit/support/task_ids.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

using testing::owner;
using testing::task_id;

struct host_fixture {
  // Outlives the actor system: actors that stop wait for their jobs.
  runtime::blocking_pool pool{2, 1000};
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<testing::memory_task_store> store = std::make_shared<testing::memory_task_store>();
  std::atomic<int> activations{0}, passivations{0}, crashes{0};
  std::mutex passivated_mutex;
  std::vector<std::string> passivated_keys;
  caf::actor host;

  explicit host_fixture(runtime::shard_host_config config) {
    auto deps = std::make_shared<const task::task_actor_deps>(
        task::task_actor_deps{store, &pool, [] { return std::int64_t{1000}; }, nullptr, nullptr});
    auto factory = runtime::activation_table({{"task", [deps](caf::local_actor* h, const std::string& id) {
                                                 return caf::actor{h->spawn(task::task_actor, id, deps)};
                                               }}});
    runtime::shard_host_hooks hooks{[this](const std::string&) { ++activations; },
                                    [this](const std::string& key) {
                                      std::lock_guard lock{passivated_mutex};
                                      passivated_keys.push_back(key);
                                      ++passivations;
                                    },
                                    [this](const std::string&, const caf::error&) { ++crashes; }, nullptr};
    host = sys.spawn(runtime::shard_host, config, factory, hooks);
  }
  ~host_fixture() { caf::anon_send_exit(host, caf::exit_reason::user_shutdown); }

  messages::TaskReply ask(messages::TaskCommand cmd) {
    caf::scoped_actor self{sys};
    messages::TaskReply out;
    self->request(host, 2s, std::move(cmd))
        .receive([&](messages::TaskReply& r) { out = std::move(r); },
                 [&](caf::error& e) { out.mutable_error()->set_detail(caf::to_string(e)); });
    return out;
  }

  messages::TaskReply create(int n) {
    messages::TaskCommand cmd;
    cmd.set_task_id(task_id(n));
    cmd.mutable_principal()->set_id(owner);
    cmd.mutable_create()->set_title("task " + std::to_string(n));
    return ask(cmd);
  }

  messages::TaskReply get(int n) {
    messages::TaskCommand cmd;
    cmd.set_task_id(task_id(n));
    cmd.mutable_principal()->set_id(owner);
    cmd.mutable_get();
    return ask(cmd);
  }

  std::vector<std::string> passivated() {
    std::lock_guard lock{passivated_mutex};
    return passivated_keys;
  }

  std::vector<runtime::resident_actor> resident() {
    caf::scoped_actor self{sys};
    std::vector<runtime::resident_actor> out;
    self->request(host, 2s, runtime::resident_atom::value)
        .receive([&](std::vector<runtime::resident_actor>& r) { out = std::move(r); }, [](caf::error&) {});
    return out;
  }
};

}  // namespace

TEST_CASE("the first message activates the actor, later ones reuse it", "[shard_host]") {
  host_fixture f{{1h, 100, 1h, nullptr}};
  REQUIRE(f.create(1).has_task());
  REQUIRE(f.get(1).has_task());
  REQUIRE(f.get(1).has_task());
  CHECK(f.activations == 1);
  // The create needs no load (its id is new), and the reads are answered
  // from the resident state.
  CHECK(f.store->loads == 0);
  auto r = f.resident();
  REQUIRE(r.size() == 1);
  CHECK(r[0].key == "task/" + task_id(1));
}

TEST_CASE("an idle actor is passivated and reactivated from the store", "[shard_host]") {
  host_fixture f{{50ms, 100, 10ms, nullptr}};
  REQUIRE(f.create(1).has_task());
  REQUIRE(testing::eventually([&] { return f.passivations == 1; }));
  CHECK(f.passivated() == std::vector<std::string>{"task/" + task_id(1)});
  CHECK(f.resident().empty());
  auto again = f.get(1);
  REQUIRE(again.has_task());
  CHECK(again.task().title() == "task 1");
  CHECK(f.activations == 2);
  CHECK(f.store->loads == 1);
}

TEST_CASE("beyond the resident cap the least recently used actor is evicted", "[shard_host]") {
  host_fixture f{{1h, 2, 1h, nullptr}};
  f.create(1);
  f.create(2);
  f.get(1);  // 2 is now the least recently used
  f.create(3);
  CHECK(f.passivations == 1);
  CHECK(f.passivated() == std::vector<std::string>{"task/" + task_id(2)});
  auto r = f.resident();
  REQUIRE(r.size() == 2);
  for (const auto& a : r)
    CHECK(a.key != "task/" + task_id(2));
  CHECK(f.get(2).has_task());  // evicted, not lost
}

TEST_CASE("a crashed task actor is reactivated from the store on its next message", "[shard_host]") {
  host_fixture f{{1h, 100, 1h, nullptr}};
  REQUIRE(f.create(1).has_task());
  // The next commit throws inside the actor, as a bug would.
  f.store->before_commit = [](const ports::task_commit&) { throw std::runtime_error("bug"); };
  messages::TaskCommand rename;
  rename.set_task_id(task_id(1));
  rename.mutable_principal()->set_id(owner);
  rename.mutable_update()->set_title("never stored");
  auto crashed = f.ask(rename);
  CHECK(crashed.has_error());
  REQUIRE(testing::eventually([&] { return f.crashes == 1; }));
  CHECK(f.resident().empty());

  f.store->before_commit = nullptr;
  auto after = f.get(1);
  REQUIRE(after.has_task());
  CHECK(after.task().title() == "task 1");
  CHECK(after.task().version() == 1);
  CHECK(f.activations == 2);
  CHECK(f.store->loads == 1);
}

TEST_CASE("passivate on request reports whether the key was resident", "[shard_host]") {
  host_fixture f{{1h, 100, 1h, nullptr}};
  f.create(1);
  caf::scoped_actor self{f.sys};
  bool was = false;
  self->request(f.host, 2s, runtime::passivate_atom::value, "task/" + task_id(1))
      .receive([&](bool b) { was = b; }, [](caf::error&) {});
  CHECK(was);
  self->request(f.host, 2s, runtime::passivate_atom::value, "task/" + task_id(1))
      .receive([&](bool b) { was = b; }, [](caf::error&) {});
  CHECK_FALSE(was);
}

TEST_CASE("a shard the node may not serve is answered MOVED and activates nothing", "[shard_host][cluster]") {
  auto admission =
      std::make_shared<runtime::shard_admission>(runtime::default_shard_count, runtime::shard_access::serve);
  host_fixture f{{1h, 100, 1h, admission}};
  auto shard = runtime::shard_of("task/" + task_id(1));
  admission->set(shard, runtime::shard_access::pending);
  auto pending = f.create(1);
  REQUIRE(pending.has_error());
  CHECK(pending.error().code() == messages::ERROR_CODE_MOVED);
  admission->set(shard, runtime::shard_access::foreign);
  CHECK(f.create(1).error().code() == messages::ERROR_CODE_MOVED);
  CHECK(f.activations == 0);
  admission->set(shard, runtime::shard_access::serve);
  CHECK(f.create(1).has_task());
  admission->set_fenced(true);
  CHECK(f.get(1).error().code() == messages::ERROR_CODE_MOVED);
}

TEST_CASE("a handoff passivates the actors of shards moved away and answers once they stopped",
          "[shard_host][cluster]") {
  auto admission =
      std::make_shared<runtime::shard_admission>(runtime::default_shard_count, runtime::shard_access::serve);
  host_fixture f{{1h, 100, 1h, admission}};
  for (int n = 1; n <= 8; ++n)
    REQUIRE(f.create(n).has_task());
  auto moved = runtime::shard_of("task/" + task_id(3));
  admission->set(moved, runtime::shard_access::foreign);
  caf::scoped_actor self{f.sys};
  std::uint64_t answered = 0;
  self->request(f.host, 2s, runtime::handoff_atom::value, std::uint64_t{42})
      .receive([&](std::uint64_t epoch) { answered = epoch; }, [](caf::error&) {});
  CHECK(answered == 42);
  auto resident = f.resident();
  CHECK(resident.size() == 7);
  for (const auto& a : resident)
    CHECK(runtime::shard_of(a.key) != moved);
  CHECK(f.passivations == 1);
}

TEST_CASE("two activations of one task on two hosts lose no update: the version fence", "[shard_host][cluster]") {
  // What a rebalance can briefly cause: the old and the new owner both hold
  // an actor for the same task, each with its own copy of the state.
  host_fixture a{{1h, 100, 1h, nullptr}};
  REQUIRE(a.create(1).has_task());
  auto deps = std::make_shared<const task::task_actor_deps>(
      task::task_actor_deps{a.store, &a.pool, [] { return std::int64_t{1000}; }, nullptr, nullptr});
  runtime::activation_factory factory = [deps](caf::local_actor* h, const std::string& key) {
    return h->spawn(task::task_actor, key.substr(5), deps);
  };
  auto twin = a.sys.spawn(runtime::shard_host, runtime::shard_host_config{1h, 100, 1h, nullptr}, factory,
                          runtime::shard_host_hooks{});
  auto ask = [&](const caf::actor& host, messages::TaskCommand cmd) {
    caf::scoped_actor self{a.sys};
    messages::TaskReply out;
    self->request(host, 2s, std::move(cmd))
        .receive([&](messages::TaskReply& r) { out = std::move(r); }, [](caf::error&) {});
    return out;
  };
  messages::TaskCommand get;
  get.set_task_id(task_id(1));
  get.mutable_principal()->set_id(owner);
  get.mutable_get();
  REQUIRE(ask(twin, get).task().version() == 1);  // the twin now holds version 1

  auto update = [&](const char* title, const char* description, std::optional<std::int64_t> expected) {
    messages::TaskCommand cmd;
    cmd.set_task_id(task_id(1));
    cmd.mutable_principal()->set_id(owner);
    if (title)
      cmd.mutable_update()->set_title(title);
    if (description)
      cmd.mutable_update()->set_description(description);
    if (expected)
      cmd.set_expected_version(*expected);
    return cmd;
  };
  REQUIRE(a.ask(update("from a", nullptr, std::nullopt)).task().version() == 2);
  // The twin's copy is stale; its commit meets the fence, reloads, and
  // applies its change on top of a's instead of over it.
  auto from_twin = ask(twin, update(nullptr, "from the twin", std::nullopt));
  REQUIRE(from_twin.has_task());
  CHECK(from_twin.task().version() == 3);
  CHECK(from_twin.task().title() == "from a");
  CHECK(from_twin.task().description() == "from the twin");
  // A conditional write against the version a saw last is refused.
  auto stale = a.ask(update("stale", nullptr, 2));
  REQUIRE(stale.has_error());
  CHECK(stale.error().code() == messages::ERROR_CODE_VERSION_MISMATCH);
  CHECK(a.get(1).task().version() == 3);
  caf::anon_send_exit(twin, caf::exit_reason::user_shutdown);
}

TEST_CASE("inspect asks a resident actor for its state without counting as a use", "[shard_host]") {
  host_fixture f{{1h, 100, 1h, nullptr}};
  REQUIRE(f.create(1).has_task());
  auto before = f.resident();
  REQUIRE(before.size() == 1);
  caf::scoped_actor self{f.sys};
  messages::ResidentState state;
  self->request(f.host, 2s, runtime::inspect_atom::value, "task/" + task_id(1))
      .receive([&](messages::ResidentState& s) { state = std::move(s); }, [](caf::error&) {});
  CHECK(state.resident());
  CHECK(state.activated_at_ms() == before[0].activated_at_ms);
  CHECK(state.aggregate().type() == "task");
  CHECK(state.aggregate().version() == 1);
  CHECK(state.aggregate().task().title() == "task 1");
  CHECK(f.resident()[0].last_message_at_ms == before[0].last_message_at_ms);

  messages::ResidentState absent;
  absent.set_resident(true);
  self->request(f.host, 2s, runtime::inspect_atom::value, "task/" + task_id(2))
      .receive([&](messages::ResidentState& s) { absent = std::move(s); }, [](caf::error&) {});
  CHECK_FALSE(absent.resident());
  CHECK(f.activations == 1);
}

TEST_CASE("a key of a kind the activation table does not hold is refused, activating nothing", "[shard_host]") {
  host_fixture f{{1h, 100, 1h, nullptr}};
  messages::UserCommand cmd;
  cmd.set_user_id(task_id(1));
  caf::scoped_actor self{f.sys};
  messages::UserReply reply;
  self->request(f.host, 2s, cmd)
      .receive([&](messages::UserReply& r) { reply = std::move(r); }, [&](caf::error& e) { FAIL(caf::to_string(e)); });
  REQUIRE(reply.has_error());
  CHECK(reply.error().code() == messages::ERROR_CODE_INTERNAL);
  CHECK(f.activations == 0);
  CHECK(f.resident().empty());
}
