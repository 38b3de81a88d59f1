// Webhook deliveries outlive the nodes that work them: three workers on real
// nats-server and PostgreSQL share one delivery queue in the store; with
// deliveries pending (the receiver failing), two of the three are killed with
// SIGKILL, and the survivor delivers every one once its lease on them lapses.
// Each delivery succeeds once: no two nodes send one at the same moment.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <set>
#include <thread>

#include "tests/cluster/cluster_harness.hpp"
#include "tests/e2e/support/eventually.hpp"
#include "tests/e2e/support/webhook_receiver.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("webhook deliveries pending on killed workers are delivered by the one left", "[cluster]") {
  // Every node inherits these: loopback receivers allowed, quick retries,
  // and a lease that lapses soon after a node dies. The endpoint breaker
  // stays out of this case: the receiver's six failures can all land on
  // one node (w3 takes every attempt after the kill), and five in a row
  // open its breaker for 30 s, longer than the wait below.
  ::setenv("TASKFLOW_WEBHOOK_ALLOW_PRIVATE", "true", 1);
  ::setenv("TASKFLOW_WEBHOOK_RETRY_SCHEDULE", "0,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms", 1);
  ::setenv("TASKFLOW_WEBHOOK_TIMEOUT_MS", "1000", 1);
  ::setenv("TASKFLOW_WEBHOOK_LEASE_MS", "2000", 1);
  ::setenv("TASKFLOW_WEBHOOK_POLL_MS", "100", 1);
  ::setenv("TASKFLOW_WEBHOOK_BREAKER_FAILURES", "100", 1);
  e2e::webhook_receiver receiver{{500, 500, 500, 500, 500, 500, 200}};
  cluster_harness cluster;
  for (const auto& id : {"w1", "w2", "w3"})
    cluster.add_node(id);
  cluster.await_members(cluster.node("w1").port(), {"w1", "w2", "w3"}, 15s);
  auto p1 = cluster.node("w1").port();
  auto ann = e2e::sign_up(p1, "ann@example.com");
  auto bob = e2e::sign_up(p1, "bob@example.com");
  e2e::http_client via_w1{p1};
  auto hook =
      via_w1.post_json("/api/v1/webhooks", {{"url", receiver.url()}, {"events", {"task.assigned"}}}, bob.auth());
  REQUIRE(hook.status == 201);
  receiver.set_secret(hook.json()["secret"]);

  progress("three assignments while the receiver fails");
  for (int i = 0; i < 3; ++i)
    REQUIRE(
        via_w1
            .post_json("/api/v1/tasks", {{"title", "hooked " + std::to_string(i)}, {"assignee_id", bob.id}}, ann.auth())
            .status == 201);
  // Three attempts are not three deliveries: one could be a retry while a
  // third event is still on its way through a worker about to die, and
  // then only the bus's redelivery (ack wait) brings it back. Pending
  // deliveries are what this case is about: wait for all three ids.
  auto attempted_ids = [&] {
    std::set<std::string> ids;
    for (const auto& r : receiver.received())
      if (auto id = r.headers.find("webhook-id"); id != r.headers.end())
        ids.insert(id->second);
    return ids.size();
  };
  REQUIRE(e2e::eventually([&] { return attempted_ids() == 3; }, 15s));

  progress("w1 and w2 are killed with deliveries pending");
  cluster.node("w1").kill9();
  cluster.node("w2").kill9();
  // None had succeeded yet: what follows is delivered after the kill.
  CHECK(receiver.received().size() < 7);
  cluster.forget("w1");
  cluster.forget("w2");

  // Delivered: each of the three webhook-ids got a 2xx, which the receiver
  // answers from its seventh request on.
  auto delivered_ids = [&] {
    std::set<std::string> ids;
    auto got = receiver.received();
    for (std::size_t i = 6; i < got.size(); ++i)
      ids.insert(got[i].headers["webhook-id"]);
    return ids;
  };
  REQUIRE(e2e::eventually([&] { return delivered_ids().size() == 3; }, 30s));
  std::this_thread::sleep_for(2s);
  auto got = receiver.received();
  std::map<std::string, int> successes;
  for (std::size_t i = 6; i < got.size(); ++i)
    ++successes[got[i].headers["webhook-id"]];
  for (const auto& [id, count] : successes) {
    INFO(id);
    CHECK(count == 1);
  }
  for (const auto& r : got)
    CHECK(r.signature_valid);
  e2e::http_client c{cluster.node("w3").port()};
  auto log = c.get("/api/v1/webhooks/" + hook.json()["id"].get<std::string>() + "/deliveries", bob.auth());
  REQUIRE(log.status == 200);
  auto page = log.json();
  REQUIRE(page["items"].size() == 3);
  for (const auto& d : page["items"])
    CHECK(d["status"] == "delivered");
}
