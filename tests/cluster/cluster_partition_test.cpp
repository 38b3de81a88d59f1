// A partition: one worker loses NATS (the bus and the membership bucket)
// while it still reaches PostgreSQL, its peers and its clients. It must
// stop serving its shards before the others take them over, so no shard is
// ever served by two nodes; and once the partition heals it rejoins. The
// nats-server lives in a network namespace this test creates (see
// partitioned_nats.hpp); where the machine refuses namespaces the test says
// why and is reported as skipped.
#include <catch2/catch.hpp>

#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>

#include "tests/cluster/cluster_harness.hpp"
#include "tests/cluster/partitioned_nats.hpp"
#include "tests/e2e/support/eventually.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace std::chrono_literals;
using nlohmann::json;
using wall_clock = std::chrono::system_clock;

namespace {

// "2026-11-25T10:11:12.345Z", as the node's log lines carry it.
std::optional<wall_clock::time_point> parse_ts(const std::string& ts) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(ts.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &ms) != 7)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return wall_clock::from_time_t(::timegm(&tm)) + std::chrono::milliseconds{ms};
}

// When a node first logged `event` at or after `since`, with fields that
// satisfy `match`.
template <class Match>
std::optional<wall_clock::time_point> first_logged(const std::string& log, const std::string& event,
                                                   wall_clock::time_point since, Match match) {
  std::istringstream lines{log};
  for (std::string line; std::getline(lines, line);) {
    auto j = json::parse(line, nullptr, false);
    if (!j.is_object() || j.value("event", "") != event || !match(j))
      continue;
    auto at = parse_ts(j.value("ts", ""));
    // Log stamps have millisecond resolution.
    if (at && *at >= std::chrono::time_point_cast<std::chrono::milliseconds>(since))
      return at;
  }
  return std::nullopt;
}

double ms_between(wall_clock::time_point from, wall_clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// /readyz of a node and the state of its "membership" check.
std::pair<int, std::string> readiness(std::uint16_t port) {
  e2e::http_client c{port};
  auto r = c.get("/readyz");
  auto body = r.json();
  return {r.status, body.is_object() ? body["checks"].value("membership", "") : ""};
}

}  // namespace

TEST_CASE("a worker cut off from NATS stops serving its shards before the others take them over", "[cluster]") {
  partitioned_nats nats;
  if (!nats.refused().empty()) {
    std::cout << "partition test skipped: this machine refuses network namespaces: " << nats.refused() << "\n";
    return;
  }
  progress("nats-server is up in namespace " + nats.name() + ": kept " + nats.kept_url() + ", cut " + nats.cut_url());
  cluster_harness cluster;
  cluster.add_node("w1", "edge,worker", nats.kept_url());
  cluster.add_node("w2", "edge,worker", nats.kept_url());
  cluster.add_node("w3", "edge,worker", nats.cut_url());
  cluster.add_node("e1", "edge", nats.kept_url());
  auto port = [&](const std::string& id) { return cluster.node(id).port(); };
  cluster.await_members(port("e1"), {"w1", "w2", "w3"}, 15s);
  auto owners = cluster.shard_owners(port("e1"));
  auto task_id = cluster.task_on(port("e1"), owners, "w3");
  progress("task " + task_id + " is on w3; load starts");

  // w3's own edge is out of rotation, as a load balancer takes it out once
  // its /readyz fails; everything else keeps writing, also to w3's shards.
  std::vector<std::uint16_t> edges{port("w1"), port("w2"), port("e1")};
  mixed_load load{cluster.token(), edges, 4};
  conditional_patches patches{cluster.token(), task_id, edges, 1};
  std::this_thread::sleep_for(2s);

  auto cut_at = wall_clock::now();
  nats.cut();
  progress("w3's link to NATS is cut");
  CHECK(e2e::eventually([&] { return readiness(port("w3")) == std::pair<int, std::string>{503, "fenced"}; }, 5s));
  cluster.await_members(port("e1"), {"w1", "w2"}, 10s);
  std::this_thread::sleep_for(2s);

  auto healed_at = wall_clock::now();
  nats.heal();
  progress("the partition is healed");
  cluster.await_members(port("e1"), {"w1", "w2", "w3"}, 30s);
  CHECK(e2e::eventually([&] { return readiness(port("w3")) == std::pair<int, std::string>{200, "up"}; }, 10s));
  auto rejoined_s = ms_between(healed_at, wall_clock::now()) / 1000;
  std::this_thread::sleep_for(2s);
  auto tally = patches.stop();
  auto report = load.stop();
  progress("load stopped");

  auto fenced = first_logged(cluster.node("w3").log(), "fenced", cut_at, [](const json&) { return true; });
  auto without_w3 = [](const json& j) {
    const auto& up = j["up_workers"];
    return std::find(up.begin(), up.end(), "w3") == up.end();
  };
  std::optional<wall_clock::time_point> taken_over;
  for (const auto* id : {"w1", "w2"})
    if (auto at = first_logged(cluster.node(id).log(), "placement_changed", cut_at, without_w3))
      taken_over = taken_over ? std::min(*taken_over, *at) : *at;
  REQUIRE(fenced);
  REQUIRE(taken_over);
  auto fenced_ms = ms_between(cut_at, *fenced);
  auto taken_ms = ms_between(cut_at, *taken_over);

  e2e::http_client check{port("e1")};
  check.set_default_header("Authorization", "Bearer " + cluster.token());
  auto final_version = check.get("/api/v1/tasks/" + task_id).json()["version"].get<int>();

  std::cout << "\n== (e) partition: fence, takeover and rejoin ==\n"
            << "w3 fenced itself " << fenced_ms << " ms after the cut; w1/w2 took its shards " << taken_ms
            << " ms after the cut (" << taken_ms - fenced_ms << " ms later)\n"
            << "w3 rejoined " << rejoined_s << " s after the partition healed\n"
            << "If-Match patches of one of w3's tasks: 200: " << tally.ok << ", 412: " << tally.precondition_failed
            << ", other: " << tally.other << ", final version: " << final_version << " (created at version 1)\n";
  for (const auto& failure : tally.failures)
    std::cout << "patch failed: " << failure << "\n";
  CHECK(fenced_ms < taken_ms);
  CHECK(tally.ok > 0);
  CHECK(final_version == 1 + tally.ok);
  CHECK(tally.other == 0);
  // Rows w3 committed but could not publish while cut off go out once it is back.
  print_report("(e) a worker cut off from NATS", report, audit(cluster.stack().postgres_url(), report.writes, 60s));
  CHECK(report.failed() == 0);
}
