// Reminders move with their shard: a task's overdue reminder comes due after
// the worker that owned its shard was killed with SIGKILL, and the shard's
// new owner rings it exactly once. Three workers and an edge-only node on
// real nats-server and PostgreSQL; the reminders are read as the task's
// committed events through the admin API.
#include <catch2/catch.hpp>

#include "tests/cluster/cluster_harness.hpp"
#include "tests/e2e/support/eventually.hpp"
#include "tests/e2e/support/wall_time.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::vector<std::string> reminder_kinds(e2e::http_client& c, const std::string& id) {
  auto r = c.get("/admin/api/actors/task/" + id);
  std::vector<std::string> kinds;
  if (r.status != 200)
    return kinds;
  auto shown = r.json();
  for (const auto& e : shown["recent_events"])
    if (e["type"] == "task.reminder_due")
      kinds.push_back(e["summary"].get<std::string>());
  return kinds;
}

}  // namespace

TEST_CASE("a reminder due after its worker was killed rings once on the shard's new owner", "[cluster]") {
  cluster_harness cluster;
  std::vector<std::string> workers{"w1", "w2", "w3"};
  for (const auto& id : workers)
    cluster.add_node(id);
  cluster.add_node("e1", "edge");
  auto edge = cluster.node("e1").port();
  cluster.await_members(edge, workers, 15s);

  auto owners = cluster.shard_owners(edge);
  auto id = cluster.task_on(edge, owners, "w3");
  e2e::http_client c{edge};
  c.set_default_header("Authorization", "Bearer " + cluster.token());
  // Due soon at once (the lead is an hour), overdue in 5 s, after w3 is gone.
  auto due = std::chrono::system_clock::now() + 5s;
  auto patched = c.patch_json("/api/v1/tasks/" + id, {{"due_date", e2e::rfc3339(due)}}, "\"1\"");
  INFO(patched.body);
  REQUIRE(patched.status == 200);
  REQUIRE(e2e::eventually([&] { return reminder_kinds(c, id).size() == 1; }, 5s));
  CHECK(reminder_kinds(c, id) == std::vector<std::string>{"reminder: due soon"});

  progress("killing w3, which owns the task's shard");
  cluster.node("w3").kill9();
  cluster.forget("w3");
  cluster.await_members(edge, {"w1", "w2"}, 15s);

  std::this_thread::sleep_until(due);
  CHECK(e2e::eventually([&] { return reminder_kinds(c, id).size() == 2; }, 10s));
  std::this_thread::sleep_for(2s);
  CHECK(reminder_kinds(c, id) == std::vector<std::string>{"reminder: overdue", "reminder: due soon"});
}
