// Membership in a JetStream key-value bucket against a real nats-server from
// tools/stack/stack: members see each other, a crashed member lapses within
// its ttl, a graceful leave and record changes show at once, the shard count
// is agreed, and a node cut off from NATS fences itself in time.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include "actors/ports/store_error.hpp"
#include "cluster/membership/nats_membership.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

std::atomic<int> counter{0};

std::string unique_cluster() {
  return "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

cluster::membership_options options_for(const std::string& url, const std::string& name) {
  cluster::membership_options o;
  o.url = url;
  o.cluster = name;
  o.shard_count = 64;
  o.heartbeat = 150ms;
  o.ttl = 600ms;
  return o;
}

cluster::member_record record(const std::string& id, std::uint64_t incarnation = 1) {
  cluster::member_record r;
  r.id = id;
  r.roles = {"edge", "worker"};
  r.http_address = "127.0.0.1:8080";
  r.cluster_address = "127.0.0.1:4000";
  r.started_at_ms = 1;
  r.incarnation = incarnation;
  return r;
}

// What one node's on_change saw, for the test thread to wait on.
struct observer {
  std::mutex mutex;
  std::condition_variable cv;
  cluster::membership_snapshot last;
  std::vector<std::string> lines;
  int calls = 0;

  cluster::membership_handler handler() {
    return [this](const cluster::membership_snapshot& s, const std::vector<std::string>& changes) {
      std::lock_guard lock{mutex};
      last = s;
      lines.insert(lines.end(), changes.begin(), changes.end());
      ++calls;
      cv.notify_all();
    };
  }

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock{mutex};
    return cv.wait_for(lock, timeout, [&] { return pred(last); });
  }

  bool saw_line(const std::string& part) {
    std::lock_guard lock{mutex};
    for (const auto& l : lines)
      if (l.find(part) != std::string::npos)
        return true;
    return false;
  }
};

const cluster::member_record* find(const cluster::membership_snapshot& s, const std::string& id) {
  for (const auto& m : s.members)
    if (m.id == id)
      return &m;
  return nullptr;
}

struct node {
  observer seen;  // outlives the membership, whose watcher calls it until destroyed
  std::unique_ptr<cluster::nats_membership> membership;

  node(const cluster::membership_options& o, cluster::member_record r) {
    auto opened = cluster::nats_membership::open(o, std::move(r));
    if (!opened)
      FAIL(ports::error_text(opened.error()));
    membership = std::move(*opened);
    auto started = membership->start(seen.handler());
    if (!started)
      FAIL(ports::error_text(started.error()));
  }
};

double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

}  // namespace

TEST_CASE("two members see each other, with their records", "[membership]") {
  auto& stack = testing::test_stack::shared();
  auto o = options_for(stack.nats_url(), unique_cluster());
  node a{o, record("node-a")};
  node b{o, record("node-b")};
  CHECK(a.seen.wait([](const auto& s) { return find(s, "node-b") != nullptr; }));
  CHECK(b.seen.wait([](const auto& s) { return find(s, "node-a") != nullptr; }));
  auto snap = b.membership->snapshot();
  CHECK(snap.self_id == "node-b");
  CHECK(snap.shard_count == 64);
  REQUIRE(snap.members.size() == 2);
  CHECK(snap.members[0].id == "node-a");
  CHECK(snap.members[0] == record("node-a"));
  CHECK(snap.up_workers().empty());  // both still joining
  CHECK(a.seen.saw_line("member node-b joined: roles edge,worker, state joining"));
  CHECK(a.membership->in_contact());
}

TEST_CASE("a node's watcher delivers the revisions of its own puts", "[membership]") {
  auto& stack = testing::test_stack::shared();
  node a{options_for(stack.nats_url(), unique_cluster()), record("node-a")};
  auto stored = a.membership->stored_revision();
  CHECK(stored > 0);
  auto t = steady::now();
  while (a.membership->seen_revision() < stored && ms_since(t) < 5000)
    std::this_thread::sleep_for(5ms);
  CHECK(a.membership->seen_revision() >= stored);
  // Each heartbeat is a new revision.
  std::this_thread::sleep_for(400ms);
  CHECK(a.membership->stored_revision() > stored);
}

TEST_CASE("state changes and handoff acks are seen by the others", "[membership]") {
  auto& stack = testing::test_stack::shared();
  auto o = options_for(stack.nats_url(), unique_cluster());
  node a{o, record("node-a")};
  node b{o, record("node-b")};
  a.membership->set_state(cluster::member_state::up);
  CHECK(b.seen.wait([](const auto& s) { return s.up_workers() == std::vector<std::string>{"node-a"}; }, 1s));
  CHECK(b.seen.saw_line("member node-a is up (was joining)"));
  // The ack returns at once and goes out with the heartbeat thread's next put.
  a.membership->set_handoff_ack(42);
  CHECK(b.seen.wait(
      [](const auto& s) {
        const auto* m = find(s, "node-a");
        return m && m->handoff_ack == 42;
      },
      1s));
  a.membership->set_cluster_address("127.0.0.1:4999");
  CHECK(b.seen.wait(
      [](const auto& s) {
        const auto* m = find(s, "node-a");
        return m && m->handoff_ack == 42 && m->cluster_address == "127.0.0.1:4999";
      },
      1s));
}

TEST_CASE("a member that stops heartbeating lapses within its ttl, a leave shows at once", "[membership]") {
  auto& stack = testing::test_stack::shared();
  auto o = options_for(stack.nats_url(), unique_cluster());
  node a{o, record("node-a")};
  node crashed{o, record("node-crashed")};
  node leaver{o, record("node-leaver")};
  REQUIRE(a.seen.wait([](const auto& s) { return s.members.size() == 3; }));

  auto t = steady::now();
  crashed.membership->abandon();
  REQUIRE(a.seen.wait([](const auto& s) { return find(s, "node-crashed") == nullptr; }, 3s));
  auto lapse_ms = ms_since(t);
  std::cout << "crashed member lapsed after " << lapse_ms << " ms (ttl " << o.ttl.count() << " ms)\n";
  // The last heartbeat was at most one heartbeat before the crash.
  CHECK(lapse_ms <= static_cast<double>((o.ttl + o.ttl / 5 + 200ms).count()));
  CHECK(lapse_ms >= static_cast<double>((o.ttl - o.heartbeat).count()));
  CHECK(a.seen.saw_line("member node-crashed lapsed (no heartbeat)"));

  t = steady::now();
  leaver.membership->leave();
  REQUIRE(a.seen.wait([](const auto& s) { return find(s, "node-leaver") == nullptr; }, 3s));
  auto leave_ms = ms_since(t);
  std::cout << "graceful leave seen after " << leave_ms << " ms\n";
  CHECK(leave_ms < static_cast<double>(o.ttl.count()) / 2);
  CHECK(a.seen.saw_line("member node-leaver left"));
  CHECK_FALSE(leaver.membership->in_contact());
}

TEST_CASE("a node starting after a crash does not count the dead record as live", "[membership]") {
  auto& stack = testing::test_stack::shared();
  auto o = options_for(stack.nats_url(), unique_cluster());
  {
    node dead{o, record("node-dead")};
    dead.membership->abandon();
  }
  std::this_thread::sleep_for(o.ttl + 100ms);  // the bucket still holds it (max age 4 ttl)
  node late{o, record("node-late")};
  auto snap = late.membership->snapshot();
  CHECK(find(snap, "node-dead") == nullptr);
  CHECK(find(snap, "node-late") != nullptr);
  CHECK_FALSE(late.seen.saw_line("node-dead"));
}

TEST_CASE("a restarted node replaces its old incarnation", "[membership]") {
  auto& stack = testing::test_stack::shared();
  auto o = options_for(stack.nats_url(), unique_cluster());
  node a{o, record("node-a")};
  auto old = std::make_unique<node>(o, record("node-b", 1));
  REQUIRE(a.seen.wait([](const auto& s) { return find(s, "node-b") != nullptr; }));
  old->membership->abandon();
  node restarted{o, record("node-b", 2)};
  CHECK(a.seen.wait([](const auto& s) {
    const auto* m = find(s, "node-b");
    return m && m->incarnation == 2;
  }));
  CHECK(a.seen.saw_line("member node-b restarted"));
}

TEST_CASE("a node configured for another shard count is refused", "[membership]") {
  auto& stack = testing::test_stack::shared();
  auto name = unique_cluster();
  auto o = options_for(stack.nats_url(), name);
  node first{o, record("node-a")};
  auto other = o;
  other.shard_count = 1024;
  auto refused = cluster::nats_membership::open(other, record("node-b"));
  REQUIRE_FALSE(refused);
  auto text = ports::error_text(refused.error());
  INFO(text);
  CHECK(text.find("cluster '" + name + "' has 64 shards, this node is configured for 1024") != std::string::npos);
  // The same count joins, also after the first node left.
  first.membership->leave();
  CHECK(cluster::nats_membership::open(o, record("node-c")));
}

TEST_CASE("bad names are refused before connecting", "[membership]") {
  auto o = options_for("nats://127.0.0.1:1", "bad.name");
  auto refused = cluster::nats_membership::open(o, record("node-a"));
  REQUIRE_FALSE(refused);
  CHECK(ports::error_text(refused.error()).find("cluster name 'bad.name'") != std::string::npos);
  o.cluster = "ok";
  refused = cluster::nats_membership::open(o, record("bad..id"));
  REQUIRE_FALSE(refused);
  CHECK(ports::error_text(refused.error()).find("node id 'bad..id'") != std::string::npos);
}

TEST_CASE("a node cut off from NATS fences itself before the others lapse it, and recovers", "[membership]") {
  testing::test_stack stack;  // its own servers: this one gets stopped
  auto o = options_for(stack.nats_url(), unique_cluster());
  node a{o, record("node-a")};
  REQUIRE(a.membership->in_contact());
  auto fence_after = o.ttl * 2 / 3;

  auto t = steady::now();
  stack.kill("nats", "KILL");
  while (a.membership->in_contact() && ms_since(t) < 5000)
    std::this_thread::sleep_for(5ms);
  auto fenced_ms = ms_since(t);
  std::cout << "out of contact " << fenced_ms << " ms after nats-server died (fence_after " << fence_after.count()
            << " ms, ttl " << o.ttl.count() << " ms)\n";
  CHECK_FALSE(a.membership->in_contact());
  // Its last heartbeat was sent at most one heartbeat before the server died.
  CHECK(fenced_ms <= static_cast<double>((fence_after + 150ms).count()));
  CHECK(fenced_ms < static_cast<double>(o.ttl.count()));

  stack.restart("nats");
  t = steady::now();
  while (!a.membership->in_contact() && ms_since(t) < 10000)
    std::this_thread::sleep_for(20ms);
  std::cout << "in contact again " << ms_since(t) << " ms after nats-server restarted\n";
  CHECK(a.membership->in_contact());
  // Its own put that restored contact comes back through the watcher.
  auto restored = a.membership->stored_revision();
  t = steady::now();
  while (a.membership->seen_revision() < restored && ms_since(t) < 10000)
    std::this_thread::sleep_for(20ms);
  std::cout << "own record seen again " << ms_since(t) << " ms after contact\n";
  CHECK(a.membership->seen_revision() >= restored);
  // The watcher resumed too: a newcomer is seen.
  node b{o, record("node-b")};
  CHECK(a.seen.wait([](const auto& s) { return find(s, "node-b") != nullptr && find(s, "node-a") != nullptr; }, 10s));
}
