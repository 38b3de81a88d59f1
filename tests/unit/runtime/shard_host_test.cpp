// Virtual activation: first message activates, idle actors passivate, the LRU
// cap evicts, and a crashed actor comes back from the store on its next message.
#include <catch2/catch.hpp>

#include <atomic>

#include <caf/scoped_actor.hpp>

#include "actors/task/task_actor.hpp"
#include "runtime/atoms.hpp"
#include "runtime/sharding/shard_host.hpp"
#include "tests/unit/support/memory_task_store.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

const std::string owner = "01a20f1d-0000-7000-8000-000000000001";

std::string task_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "01a20f1d-e9b0-73d9-98cf-%012d", n);
  return buf;
}

struct host_fixture {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<testing::memory_task_store> store = std::make_shared<testing::memory_task_store>();
  std::atomic<int> activations{0}, passivations{0}, crashes{0};
  caf::actor host;

  explicit host_fixture(runtime::shard_host_config config) {
    task::task_actor_deps deps{store, [] { return std::int64_t{1000}; }, nullptr};
    runtime::activation_factory factory = [deps](caf::local_actor* h, const std::string& key) {
      return h->spawn(task::task_actor, key.substr(5), deps);
    };
    runtime::shard_host_hooks hooks{[this](const std::string&) { ++activations; },
                                    [this](const std::string&) { ++passivations; },
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
  host_fixture f{{1h, 100, 1h}};
  REQUIRE(f.create(1).has_task());
  REQUIRE(f.get(1).has_task());
  REQUIRE(f.get(1).has_task());
  CHECK(f.activations == 1);
  CHECK(f.store->loads == 1);
  auto r = f.resident();
  REQUIRE(r.size() == 1);
  CHECK(r[0].key == "task/" + task_id(1));
}

TEST_CASE("an idle actor is passivated and reactivated from the store", "[shard_host]") {
  host_fixture f{{50ms, 100, 10ms}};
  REQUIRE(f.create(1).has_task());
  REQUIRE(testing::eventually([&] { return f.passivations == 1; }));
  CHECK(f.resident().empty());
  auto again = f.get(1);
  REQUIRE(again.has_task());
  CHECK(again.task().title() == "task 1");
  CHECK(f.activations == 2);
  CHECK(f.store->loads == 2);
}

TEST_CASE("beyond the resident cap the least recently used actor is evicted", "[shard_host]") {
  host_fixture f{{1h, 2, 1h}};
  f.create(1);
  f.create(2);
  f.get(1);  // 2 is now the least recently used
  f.create(3);
  CHECK(f.passivations == 1);
  auto r = f.resident();
  REQUIRE(r.size() == 2);
  for (const auto& a : r)
    CHECK(a.key != "task/" + task_id(2));
  CHECK(f.get(2).has_task());  // evicted, not lost
}

TEST_CASE("a crashed task actor is reactivated from the store on its next message", "[shard_host]") {
  host_fixture f{{1h, 100, 1h}};
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
  CHECK(f.store->loads == 2);
}

TEST_CASE("passivate on request reports whether the key was resident", "[shard_host]") {
  host_fixture f{{1h, 100, 1h}};
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

TEST_CASE("inspect asks a resident actor for its state without counting as a use", "[shard_host]") {
  host_fixture f{{1h, 100, 1h}};
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
