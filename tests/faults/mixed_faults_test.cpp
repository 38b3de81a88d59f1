// Mixed traffic through two edges while everything behind them breaks in
// turn (fault_schedule.hpp): workers killed and restarted, PostgreSQL and
// NATS restarted, Redis stopped and started, for TASKFLOW_SOAK_SECONDS
// (60 by default; tools/soak runs it longer). 5xx answers while a fault is
// on are allowed, since the clients send again with the same key; what is
// not: an acknowledged write missing, a write applied twice, an event
// projected twice.
#include <catch2/catch.hpp>

#include <iomanip>
#include <iostream>

#include "tests/cluster/cluster_harness.hpp"
#include "tests/faults/effect_audit.hpp"
#include "tests/faults/fault_schedule.hpp"
#include "tests/faults/keyed_traffic.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace taskflow::faults_test;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> workers{"w1", "w2", "w3"};
const std::vector<std::string> edges{"e1", "e2"};

std::map<std::string, std::int64_t> memory_of(cluster_harness& cluster) {
  std::map<std::string, std::int64_t> out;
  for (const auto& ids : {workers, edges})
    for (const auto& id : ids)
      out[id] = resident_kib(cluster.node(id).pid());
  return out;
}

bool during_a_fault(const timed_request& r, const std::vector<fault_window>& windows) {
  for (const auto& w : windows)
    if (r.started >= w.from && r.started <= w.to + 2s)  // the breakers close again within ~2 s
      return true;
  return false;
}

}  // namespace

TEST_CASE(
    "mixed traffic through two edges loses and duplicates nothing while workers, PostgreSQL, NATS and Redis "
    "fail in turn",
    "[faults]") {
  auto duration = soak_duration();
  auto seed = soak_seed();
  progress("seed " + std::to_string(seed) + ", " + std::to_string(duration.count()) +
           " s of faults (TASKFLOW_SOAK_SEED, TASKFLOW_SOAK_SECONDS)");
  cluster_harness cluster;
  cluster.pass_to_new_nodes({"--redis", cluster.stack().redis_url()});
  // The workers keep the edge role, as server_process needs HTTP to see a
  // node ready; the traffic goes through e1 and e2 only. An edge-only node
  // comes up once workers are.
  for (const auto& id : workers)
    cluster.add_node(id);
  for (const auto& id : edges)
    cluster.add_node(id, "edge");
  cluster.await_members(cluster.node("e1").port(), workers, 20s);
  auto memory_at_start = memory_of(cluster);

  keyed_traffic traffic{{cluster.node("e1").port(), cluster.node("e2").port()}, 4};
  fault_schedule faults{cluster, workers, seed};
  faults.run_for(duration);
  progress("faults over; the traffic goes on 5 s more");
  std::this_thread::sleep_for(5s);
  auto report = traffic.stop();
  auto memory_at_end = memory_of(cluster);

  // The outbox rows a killed worker had claimed come back after their 30 s
  // lease; the audit waits for them.
  auto store = audit(cluster.stack().postgres_url(), report.load.writes, 90s);
  auto effects = audit_effects(cluster.stack().postgres_url(), report.owner_ids, report.deleted);

  std::vector<double> faulted;
  std::vector<double> quiet;
  for (const auto& r : report.requests)
    (during_a_fault(r, faults.windows()) ? faulted : quiet).push_back(r.ms);
  print_report(
      "mixed traffic under faults (" + std::to_string(duration.count()) + " s, seed " + std::to_string(seed) + ")",
      report.load, store);
  std::cout << std::fixed << std::setprecision(0) << "faults injected:";
  for (const auto& [kind, count] : faults.counts())
    std::cout << " " << kind << " x" << count << ";";
  std::cout << "\nacknowledged deletes: " << report.deleted.size() << ", missing: " << effects.deletes_missing
            << "\nreads answered 404 for an acknowledged task: " << report.acknowledged_not_found
            << "\nduplicate effects (a title set by two events): " << effects.duplicated << " of " << effects.events
            << " task events"
            << "\nwrites sent again with the same key: " << report.resent << ", answers replayed: " << report.replayed
            << ", unresolved after 30 s: " << report.unresolved
            << ", resent patches answered 412 that had applied: " << report.applied_then_412
            << "\nsign-ins answered 201: " << report.sign_ins << "\np99 latency: " << p99_ms(faulted)
            << " ms during faults (" << faulted.size() << " requests), " << p99_ms(quiet) << " ms otherwise ("
            << quiet.size() << ")\nresident memory (KiB) at start -> end:";
  for (const auto& [id, kib] : memory_at_start)
    std::cout << " " << id << " " << kib << " -> " << memory_at_end[id] << ";";
  std::cout << "\n(a worker killed and restarted starts over)\n";
  for (const auto& example : effects.examples)
    std::cout << "duplicated: " << example << "\n";
  std::cout << std::flush;
  CHECK(effects.duplicated == 0);
  CHECK(effects.deletes_missing == 0);
  CHECK(report.acknowledged_not_found == 0);
  CHECK(report.unresolved == 0);
  // A round of every kind takes about 30 s.
  if (duration >= 60s)
    CHECK(faults.counts().size() == 4);
}
