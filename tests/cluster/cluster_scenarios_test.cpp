// The cluster under a steady mixed load through every edge: three workers
// and one edge-only node on real nats-server and PostgreSQL, while a worker
// joins, leaves gracefully, or is killed; and concurrent conditional writes
// of one task across a handoff. Each scenario prints what it sent, how it
// was answered, and what the store holds afterwards.
#include <catch2/catch.hpp>

#include <iostream>
#include <set>

#include "tests/cluster/cluster_harness.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using nlohmann::json;

namespace {

struct three_workers_and_an_edge {
  cluster_harness cluster;
  std::vector<std::string> workers{"w1", "w2", "w3"};
  three_workers_and_an_edge() {
    for (const auto& id : workers)
      cluster.add_node(id);
    cluster.add_node("e1", "edge");
    cluster.await_members(port("e1"), workers, 15s);
  }
  std::uint16_t port(const std::string& id) { return cluster.node(id).port(); }
  // SIGTERM, then forgets the node; returns its exit status. A non-zero
  // one prints the end of its log first: whatever ended it (a sanitizer's
  // report, a failed supervisor) is there, and the log goes with the node.
  int stop(const std::string& id) {
    auto exit_code = cluster.node(id).terminate();
    if (exit_code != 0) {
      auto log = cluster.node(id).log();
      std::cout << "\n"
                << id << "'s log, its end:\n"
                << log.substr(log.size() > 12000 ? log.size() - 12000 : 0) << "\n";
    }
    cluster.forget(id);
    return exit_code;
  }
  std::vector<std::uint16_t> edges() { return {port("w1"), port("w2"), port("w3"), port("e1")}; }
};

}  // namespace

TEST_CASE("workers started at once with one bootstrap admin all come up and serve through every edge", "[cluster]") {
  cluster_harness cluster;
  std::vector<std::string> workers{"w1", "w2", "w3"};
  cluster.add_workers_at_once(workers);
  cluster.await_members(cluster.node("w1").port(), workers, 15s);
  e2e::http_client first{cluster.node("w1").port()};
  first.set_default_header("Authorization", "Bearer " + cluster.token());
  auto created = first.post_json("/api/v1/tasks", {{"title", "started together"}});
  REQUIRE(created.status == 201);
  auto id = created.json()["id"].get<std::string>();
  for (const auto& w : workers) {
    e2e::http_client c{cluster.node(w).port()};
    c.set_default_header("Authorization", "Bearer " + cluster.token());
    CHECK(c.get("/api/v1/tasks/" + id).status == 200);
  }
}

TEST_CASE("a fourth worker joins under load and only the shards it takes change owner", "[cluster]") {
  three_workers_and_an_edge c;
  auto before = c.cluster.shard_owners(c.port("e1"));
  mixed_load load{c.cluster.token(), c.edges(), 6};
  std::this_thread::sleep_for(2s);
  c.cluster.add_node("w4");
  c.cluster.await_members(c.port("e1"), {"w1", "w2", "w3", "w4"}, 15s);
  std::this_thread::sleep_for(2s);
  auto report = load.stop();
  auto after = c.cluster.shard_owners(c.port("e1"));
  REQUIRE(before.size() == after.size());
  int moved = 0;
  int moved_elsewhere = 0;
  for (std::size_t s = 0; s < before.size(); ++s)
    if (before[s] != after[s]) {
      ++moved;
      moved_elsewhere += after[s] == "w4" ? 0 : 1;
    }
  std::cout << "\nshards: " << after.size() << ", moved to w4: " << moved - moved_elsewhere
            << ", moved between the old workers: " << moved_elsewhere << " (expected about " << after.size() / 4
            << " and 0)\n";
  CHECK(moved_elsewhere == 0);
  CHECK(moved > static_cast<int>(after.size()) / 8);
  CHECK(moved < static_cast<int>(after.size()) * 3 / 8);
  print_report("(a) a fourth worker joins", report, audit(c.cluster.stack().postgres_url(), report.writes, 20s));
  CHECK(report.failed() == 0);
}

TEST_CASE("a worker stopped with SIGTERM under load fails no client request", "[cluster]") {
  three_workers_and_an_edge c;
  mixed_load load{c.cluster.token(), c.edges(), 6};
  std::this_thread::sleep_for(2s);
  load.remove_edge(c.port("w2"));
  std::this_thread::sleep_for(200ms);
  auto exit_code = c.stop("w2");
  c.cluster.await_members(c.port("e1"), {"w1", "w3"}, 10s);
  std::this_thread::sleep_for(2s);
  auto report = load.stop();
  std::cout << "\nw2 exited with " << exit_code << "\n";
  CHECK(exit_code == 0);
  print_report("(b) a worker gets SIGTERM", report, audit(c.cluster.stack().postgres_url(), report.writes, 20s));
  CHECK(report.failed() == 0);
}

TEST_CASE("a worker killed with SIGKILL under load has its shards answer again within 3 s", "[cluster]") {
  three_workers_and_an_edge c;
  auto owners = c.cluster.shard_owners(c.port("e1"));
  auto probe_id = c.cluster.task_on(c.port("e1"), owners, "w3");
  mixed_load load{c.cluster.token(), c.edges(), 6};
  std::this_thread::sleep_for(2s);
  load.remove_edge(c.port("w3"));
  e2e::http_client probe{c.port("e1")};
  probe.set_default_header("Authorization", "Bearer " + c.cluster.token());
  c.cluster.node("w3").kill9();
  auto killed = clock_type::now();
  // Each probe waits at most its own request deadline; the first 200 is
  // the moment the dead worker's shard answers from its new owner.
  double answered_after = -1;
  while (clock_type::now() - killed < 15s) {
    if (probe.get("/api/v1/tasks/" + probe_id).status == 200) {
      answered_after = std::chrono::duration<double>(clock_type::now() - killed).count();
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  c.cluster.forget("w3");
  std::this_thread::sleep_for(2s);
  auto report = load.stop();
  std::cout << "\nthe killed worker's shard answered again after " << answered_after << " s\n";
  CHECK(answered_after >= 0);
  CHECK(answered_after < 3.0);
  // Outbox rows the killed worker had claimed come back after their 30 s
  // lease; the audit waits for them (and returns as soon as all is there).
  print_report("(c) a worker gets kill -9", report, audit(c.cluster.stack().postgres_url(), report.writes, 60s));
}

TEST_CASE("concurrent If-Match patches of one task through different edges across a handoff lose no update",
          "[cluster]") {
  three_workers_and_an_edge c;
  auto owners = c.cluster.shard_owners(c.port("e1"));
  auto id = c.cluster.task_on(c.port("e1"), owners, "w2");
  conditional_patches patches{c.cluster.token(), id, {c.port("w1"), c.port("w3"), c.port("e1")}, 2};
  std::this_thread::sleep_for(1500ms);
  // The task's owner leaves: its shard hands off to another worker while
  // the patches keep coming through the other edges.
  auto exit_code = c.stop("w2");
  std::this_thread::sleep_for(2s);
  c.cluster.add_node("w4");
  std::this_thread::sleep_for(2s);
  auto tally = patches.stop();
  e2e::http_client check{c.port("e1")};
  check.set_default_header("Authorization", "Bearer " + c.cluster.token());
  auto final_version = check.get("/api/v1/tasks/" + id).json()["version"].get<int>();
  std::cout << "\n== (d) concurrent If-Match patches across a handoff ==\n200: " << tally.ok
            << ", 412: " << tally.precondition_failed << ", other: " << tally.other
            << ", final version: " << final_version << " (created at version 1)\n";
  for (const auto& failure : tally.failures)
    std::cout << "patch failed: " << failure << "\n";
  CHECK(exit_code == 0);
  CHECK(tally.ok > 0);
  CHECK(final_version == 1 + tally.ok);
  CHECK(tally.other == 0);
}
