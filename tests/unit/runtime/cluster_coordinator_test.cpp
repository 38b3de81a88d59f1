// The cluster coordinator's handoff protocol, with no NATS: membership
// updates go in as the watcher would send them, and the test watches what
// the coordinator does with them. The shard admission it writes, the table
// it gives the router, the handoff it asks of the shard host (a fake that
// records what was admitted when asked, and answers when the test says),
// and the epoch it acknowledges in this node's record (a fake local_member).
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "cluster/placement/shard_placement.hpp"
#include "runtime/atoms.hpp"
#include "runtime/clustering/cluster_coordinator.hpp"
#include "runtime/clustering/placement_epoch.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;
using runtime::shard_access;

namespace {

constexpr std::uint32_t shards = 16;
const std::string self_id = "node-a";
using access_table = std::vector<shard_access>;

// Answers a held handoff.
using release_atom = caf::atom_constant<caf::atom("release")>;

cluster::member_record worker(const std::string& id, cluster::member_state state = cluster::member_state::up,
                              std::uint64_t handoff_ack = 0) {
  cluster::member_record r;
  r.id = id;
  r.roles = {"edge", "worker"};
  r.state = state;
  r.incarnation = 1;
  r.handoff_ack = handoff_ack;
  return r;
}

std::uint64_t epoch_of(const std::vector<std::string>& up) {
  std::vector<std::pair<std::string, std::uint64_t>> workers;
  for (const auto& id : up)
    workers.emplace_back(id, 1);
  return runtime::placement_epoch(workers);
}

std::vector<std::uint32_t> owned_by(const std::vector<std::string>& owners, const std::string& id) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t s = 0; s < owners.size(); ++s)
    if (owners[s] == id)
      out.push_back(s);
  return out;
}

// Each shard's access as the coordinator should leave it: `serving` for
// this node's shards listed there, `pending` for its others, foreign for the
// rest.
access_table expected_access(const std::vector<std::string>& owners, const std::vector<std::uint32_t>& serving) {
  access_table out(owners.size(), shard_access::foreign);
  for (auto s : owned_by(owners, self_id))
    out[s] =
        std::find(serving.begin(), serving.end(), s) != serving.end() ? shard_access::serve : shard_access::pending;
  return out;
}

// A waitable record of what happened elsewhere, read on the test's thread.
template <class T>
class observed {
public:
  void add(T item) {
    {
      std::lock_guard lock{mutex_};
      items_.push_back(std::move(item));
    }
    cv_.notify_all();
  }
  std::vector<T> items() const {
    std::lock_guard lock{mutex_};
    return items_;
  }
  // Waits, at most five seconds, until there are `n`.
  bool wait_for(std::size_t n) {
    std::unique_lock lock{mutex_};
    return cv_.wait_for(lock, 5s, [&] { return items_.size() >= n; });
  }

private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<T> items_;
};

// This node's record and its contact with the bucket, set by the test.
class fake_member final : public cluster::local_member {
public:
  explicit fake_member(cluster::member_record record) : record_(std::move(record)) {}

  cluster::member_record self() const override {
    std::lock_guard lock{mutex_};
    return record_;
  }
  bool in_contact() const override {
    bool answer = contact;
    contact_checks.add(answer);
    return answer;
  }
  std::uint64_t stored_revision() const override { return stored; }
  std::uint64_t seen_revision() const override { return seen; }
  void set_handoff_ack(std::uint64_t epoch) override {
    {
      std::lock_guard lock{mutex_};
      record_.handoff_ack = epoch;
    }
    acks.add(epoch);
  }

  std::atomic<bool> contact{true};
  std::atomic<std::uint64_t> stored{0};
  std::atomic<std::uint64_t> seen{0};
  observed<std::uint64_t> acks;
  mutable observed<bool> contact_checks;

private:
  mutable std::mutex mutex_;
  cluster::member_record record_;
};

struct handoff_request {
  std::uint64_t epoch;
  access_table admitted;  // the admission when the request arrived
};

// Stands in for the shard host: records each handoff request and answers
// it at once, or holds the answers until released.
caf::behavior fake_shard_host(caf::event_based_actor* self, std::shared_ptr<observed<handoff_request>> requests,
                              std::shared_ptr<const runtime::shard_admission> admission, bool hold) {
  auto held = std::make_shared<std::vector<std::pair<caf::response_promise, std::uint64_t>>>();
  return {
      [=](runtime::handoff_atom, std::uint64_t epoch) {
        access_table admitted;
        for (std::uint32_t s = 0; s < admission->shard_count(); ++s)
          admitted.push_back(admission->access(s));
        requests->add({epoch, std::move(admitted)});
        auto promise = self->make_response_promise();
        if (hold)
          held->emplace_back(promise, epoch);
        else
          promise.deliver(epoch);
        return promise;
      },
      [=](release_atom) {
        for (auto& [promise, epoch] : *held)
          promise.deliver(epoch);
        held->clear();
      },
  };
}

struct event_seen {
  std::string kind;
  nlohmann::json detail;
};

struct fixture_options {
  bool worker = true;  // false: an edge-only node, which has no admission and no shard host
  bool hold_handoffs = false;
  std::chrono::milliseconds handoff_timeout{std::chrono::hours{1}};
  std::chrono::milliseconds ttl{50};
};

struct coordinator_fixture {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  runtime::logger log{runtime::log_level::error};
  runtime::metrics stats;
  std::shared_ptr<runtime::shard_admission> admission;
  std::shared_ptr<cluster::peer_connections> remote = std::make_shared<cluster::peer_connections>(sys, self_id);
  std::shared_ptr<runtime::shard_router> router;
  std::shared_ptr<fake_member> member;
  std::shared_ptr<runtime::coordination_status> status = std::make_shared<runtime::coordination_status>();
  std::shared_ptr<observed<handoff_request>> requests = std::make_shared<observed<handoff_request>>();
  std::shared_ptr<observed<event_seen>> events = std::make_shared<observed<event_seen>>();
  caf::actor host;
  caf::actor coordinator;

  explicit coordinator_fixture(fixture_options o = {}) {
    auto empty = std::make_shared<cluster::shard_table>();
    empty->shard_count = shards;
    empty->owners.assign(shards, "");
    router = std::make_shared<runtime::shard_router>(runtime::shard_host_handle{sys}, self_id, empty, remote);
    auto me = worker(self_id);
    if (o.worker) {
      admission = std::make_shared<runtime::shard_admission>(shards, shard_access::foreign);
      host = sys.spawn(fake_shard_host, requests, admission, o.hold_handoffs);
      sys.registry().put(runtime::shard_host_name, host);
    } else {
      me.roles = {"edge"};
    }
    member = std::make_shared<fake_member>(me);
    runtime::cluster_coordinator_deps deps{self_id,
                                           admission,
                                           router,
                                           remote,
                                           member,
                                           status,
                                           o.ttl,
                                           o.handoff_timeout,
                                           &log,
                                           &stats,
                                           [events = events](const std::string& kind, nlohmann::json detail) {
                                             events->add({kind, std::move(detail)});
                                           }};
    coordinator = sys.spawn(runtime::cluster_coordinator, deps);
  }

  ~coordinator_fixture() {
    testing::stop_actor(sys, coordinator);
    sys.registry().erase(runtime::shard_host_name);
    testing::stop_actor(sys, host);
  }

  // Sends what the membership watcher would, and returns once the
  // coordinator has handled it (see settle).
  void update(std::vector<cluster::member_record> members, std::vector<std::string> changes = {}) {
    auto u = std::make_shared<runtime::membership_update>();
    u->snapshot.shard_count = shards;
    u->snapshot.self_id = self_id;
    u->snapshot.members = std::move(members);
    u->changes = std::move(changes);
    caf::anon_send(coordinator, std::shared_ptr<const runtime::membership_update>{std::move(u)});
    if (admission)
      settle();
  }

  // Returns once everything sent to the coordinator before it was called
  // has been handled. A worker's coordinator asks in_contact() on each of
  // its ticks, and each tick sends the next one from its handler: the
  // second tick that asks after this call began was sent after anything
  // already in the mailbox, so it is handled after all of it.
  void settle() {
    auto seen = member->contact_checks.items().size();
    REQUIRE(member->contact_checks.wait_for(seen + 2));
  }

  // Waits for the nth acknowledgement in this node's record, and for the
  // rest of what acknowledging does (the status follows the record).
  void acknowledged(std::size_t n) {
    REQUIRE(member->acks.wait_for(n));
    settle();
  }

  void release() { caf::anon_send(host, release_atom::value); }

  access_table admitted() const {
    access_table out;
    for (std::uint32_t s = 0; s < shards; ++s)
      out.push_back(admission->access(s));
    return out;
  }

  std::vector<std::string> owners() const { return router->table()->owners; }
};

}  // namespace

TEST_CASE("a lone worker serves every shard of its first table and acknowledges the epoch once its host handed off",
          "[unit][cluster_coordinator]") {
  coordinator_fixture f;
  f.update({worker(self_id)});
  auto epoch = epoch_of({self_id});
  REQUIRE(f.requests->wait_for(1));
  auto request = f.requests->items().front();
  CHECK(request.epoch == epoch);
  CHECK(request.admitted == access_table(shards, shard_access::serve));
  f.acknowledged(1);
  CHECK(f.member->acks.items() == std::vector<std::uint64_t>{epoch});
  CHECK(f.status->epoch == epoch);
  CHECK(f.status->acknowledged == epoch);
  CHECK_FALSE(f.status->holds_nothing);
  CHECK(f.owners() == std::vector<std::string>(shards, self_id));
  CHECK(f.router->table()->epoch == epoch);
  CHECK(f.stats.shards_owned.Value() == shards);
}

TEST_CASE(
    "shards a joining worker takes are released before the host is asked, and acknowledged only after it answered",
    "[unit][cluster_coordinator]") {
  coordinator_fixture f{{.hold_handoffs = true}};
  f.update({worker(self_id)});
  REQUIRE(f.requests->wait_for(1));
  f.release();
  f.acknowledged(1);

  f.update({worker(self_id), worker("node-b")}, {"member node-b joined"});
  auto after = cluster::place_shards(shards, {self_id, "node-b"});
  auto kept = owned_by(after, self_id);
  REQUIRE_FALSE(kept.empty());
  REQUIRE_FALSE(owned_by(after, "node-b").empty());
  auto epoch = epoch_of({self_id, "node-b"});
  REQUIRE(f.requests->wait_for(2));
  auto request = f.requests->items().back();
  CHECK(request.epoch == epoch);
  // The moved shards were foreign by the time the host was asked to let
  // them go; the kept ones never stopped serving, peers' acks or not.
  CHECK(request.admitted == expected_access(after, kept));
  CHECK(f.owners() == after);
  CHECK(f.status->epoch == epoch);
  // Held: the host has not answered, so nothing is acknowledged yet.
  CHECK(f.member->acks.items() == std::vector<std::uint64_t>{epoch_of({self_id})});
  CHECK(f.status->acknowledged == epoch_of({self_id}));

  f.release();
  f.acknowledged(2);
  CHECK(f.member->acks.items().back() == epoch);
  CHECK(f.status->acknowledged == epoch);
  CHECK_FALSE(f.status->holds_nothing);
}

TEST_CASE("a placement change tells the event stream what moved, and every change line goes with it",
          "[unit][cluster_coordinator]") {
  coordinator_fixture f;
  f.update({worker(self_id)});
  f.update({worker(self_id), worker("node-b")}, {"member node-b joined"});
  auto before = cluster::place_shards(shards, {self_id});
  auto after = cluster::place_shards(shards, {self_id, "node-b"});
  auto seen = f.events->items();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].kind == "shard");
  CHECK(seen[0].detail["shards_moved"] == shards);  // from no table at all
  CHECK(seen[1].kind == "membership");
  CHECK(seen[1].detail["change"] == "member node-b joined");
  CHECK(seen[2].kind == "shard");
  CHECK(seen[2].detail["up_workers"] == nlohmann::json::array({self_id, "node-b"}));
  CHECK(seen[2].detail["shards_moved"] == cluster::moved_shards(before, after).size());
}

TEST_CASE("shards this node gains stay pending until every other live worker acknowledged the new epoch",
          "[unit][cluster_coordinator]") {
  coordinator_fixture f;
  auto three = epoch_of({self_id, "node-b", "node-c"});
  f.update({worker(self_id), worker("node-b", cluster::member_state::up, three),
            worker("node-c", cluster::member_state::up, three)});
  auto before = cluster::place_shards(shards, {self_id, "node-b", "node-c"});
  auto mine_before = owned_by(before, self_id);
  CHECK(f.admitted() == expected_access(before, mine_before));

  // node-c leaves gracefully: it still holds actors until it acknowledges.
  auto two = epoch_of({self_id, "node-b"});
  auto after = cluster::place_shards(shards, {self_id, "node-b"});
  REQUIRE(owned_by(after, self_id).size() > mine_before.size());
  f.update({worker(self_id), worker("node-b", cluster::member_state::up, three),
            worker("node-c", cluster::member_state::leaving, three)});
  CHECK(f.admitted() == expected_access(after, mine_before));
  REQUIRE(f.requests->wait_for(2));
  CHECK(f.requests->items().back().epoch == two);

  f.update({worker(self_id), worker("node-b", cluster::member_state::up, two),
            worker("node-c", cluster::member_state::leaving, three)});
  CHECK(f.admitted() == expected_access(after, mine_before));

  f.update({worker(self_id), worker("node-b", cluster::member_state::up, two),
            worker("node-c", cluster::member_state::leaving, two)});
  CHECK(f.admitted() == expected_access(after, owned_by(after, self_id)));
  CHECK(f.stats.shards_owned.Value() == owned_by(after, self_id).size());
}

TEST_CASE("a joining worker, which never held actors, is not waited for", "[unit][cluster_coordinator]") {
  coordinator_fixture f;
  f.update({worker(self_id), worker("node-b", cluster::member_state::joining)});
  CHECK(f.admitted() == access_table(shards, shard_access::serve));
}

TEST_CASE("gained shards serve after the handoff timeout when an acknowledgement never comes",
          "[unit][cluster_coordinator]") {
  coordinator_fixture f{{.handoff_timeout = 200ms}};
  f.update({worker(self_id), worker("node-b")});
  auto owners = cluster::place_shards(shards, {self_id, "node-b"});
  auto all_mine = expected_access(owners, owned_by(owners, self_id));
  CHECK(testing::eventually([&] { return f.admitted() == all_mine; }));
}

TEST_CASE("a newer placement during a handoff: only the newest epoch is acknowledged", "[unit][cluster_coordinator]") {
  coordinator_fixture f{{.hold_handoffs = true}};
  f.update({worker(self_id)});
  f.update({worker(self_id), worker("node-b")});
  REQUIRE(f.requests->wait_for(2));
  f.release();
  f.acknowledged(1);
  // The host answered the older request first; its answer changed nothing.
  CHECK(f.member->acks.items() == std::vector<std::uint64_t>{epoch_of({self_id, "node-b"})});
}

TEST_CASE("a change of address alone gives the router a new table but hands nothing off",
          "[unit][cluster_coordinator]") {
  coordinator_fixture f;
  auto me = worker(self_id);
  me.cluster_address = "127.0.0.1:4001";
  f.update({me});
  REQUIRE(f.requests->wait_for(1));
  auto first = f.router->table();
  me.cluster_address = "127.0.0.1:4002";
  f.update({me});
  auto second = f.router->table();
  CHECK(second != first);
  CHECK(second->epoch == first->epoch);
  CHECK(second->cluster_addresses.at(self_id) == "127.0.0.1:4002");
  CHECK(f.requests->items().size() == 1);
}

TEST_CASE("a view that lost this node's own record still places shards on it", "[unit][cluster_coordinator]") {
  // Its heartbeats did not reach the bucket for a while, but it is alive.
  coordinator_fixture f;
  f.update({worker("node-b", cluster::member_state::up)});
  CHECK(f.owners() == cluster::place_shards(shards, {self_id, "node-b"}));
}

TEST_CASE("a leaving worker hands off every shard and then holds nothing", "[unit][cluster_coordinator]") {
  coordinator_fixture f;
  f.update({worker(self_id), worker("node-b")});
  f.acknowledged(1);
  CHECK_FALSE(f.status->holds_nothing);
  f.update({worker(self_id, cluster::member_state::leaving), worker("node-b")});
  f.acknowledged(2);
  CHECK(f.member->acks.items().back() == epoch_of({"node-b"}));
  CHECK(f.requests->items().back().admitted == access_table(shards, shard_access::foreign));
  CHECK(f.status->holds_nothing);
}

TEST_CASE("a worker with peers that loses contact fences itself, and serves again only on a fresh view",
          "[unit][cluster_coordinator]") {
  coordinator_fixture f;
  auto epoch = epoch_of({self_id, "node-b"});
  f.update({worker(self_id), worker("node-b", cluster::member_state::up, epoch)});
  auto owners = cluster::place_shards(shards, {self_id, "node-b"});
  auto serving = expected_access(owners, owned_by(owners, self_id));
  REQUIRE(f.admitted() == serving);
  REQUIRE(f.requests->wait_for(1));

  f.member->contact = false;
  f.settle();
  CHECK(f.status->fenced);
  CHECK(f.admission->fenced());
  // A fenced admission reads foreign for every shard, whatever is set.
  CHECK(f.admitted() == access_table(shards, shard_access::foreign));
  // Its actors go too: the shard host is asked to hand off again.
  REQUIRE(f.requests->wait_for(2));
  CHECK(f.requests->items().back().epoch == epoch);

  // Contact is back, but the watcher has not yet delivered the put that
  // restored it: the view may still be stale.
  f.member->stored = 7;
  f.member->seen = 5;
  f.member->contact = true;
  f.settle();
  CHECK_FALSE(f.status->fenced);
  CHECK_FALSE(f.admission->fenced());
  f.settle();
  CHECK(f.admitted() == expected_access(owners, {}));

  f.member->seen = 7;
  CHECK(testing::eventually([&] { return f.admitted() == serving; }));
}

TEST_CASE("a lone worker rides out a lost contact without fencing", "[unit][cluster_coordinator]") {
  // Nobody else could take its shards without the bucket.
  coordinator_fixture f;
  f.update({worker(self_id)});
  f.member->contact = false;
  f.settle();
  CHECK_FALSE(f.status->fenced);
  CHECK(f.admitted() == access_table(shards, shard_access::serve));
}

TEST_CASE("an edge-only node routes by the table and acknowledges at once, holding nothing",
          "[unit][cluster_coordinator]") {
  coordinator_fixture f{{.worker = false}};
  f.update({f.member->self(), worker("node-b")});
  REQUIRE(f.member->acks.wait_for(1));
  CHECK(f.member->acks.items() == std::vector<std::uint64_t>{epoch_of({"node-b"})});
  CHECK(f.owners() == std::vector<std::string>(shards, "node-b"));
  // Without a shard host nothing ticks to settle on; the status follows the ack.
  CHECK(testing::eventually([&] { return f.status->holds_nothing.load(); }));
  CHECK(f.status->acknowledged == epoch_of({"node-b"}));
  CHECK(f.requests->items().empty());
}
