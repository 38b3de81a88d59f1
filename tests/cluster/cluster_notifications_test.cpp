// Notifications across a cluster: three workers on real nats-server and
// PostgreSQL. A stream on one edge sees what a write through another caused;
// a stream resumed with Last-Event-ID on a third edge, after the node that
// may have been writing the feed is killed, misses nothing and repeats
// nothing; and an event the bus delivers twice (published again under
// another message id, past JetStream's deduplication) notifies once.
#include <catch2/catch.hpp>

#include <iostream>
#include <set>
#include <thread>

#include <nats/nats.h>

#include "messages/events/event_envelope.pb.h"
#include "tests/cluster/cluster_harness.hpp"
#include "tests/e2e/support/event_stream.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string assign(std::uint16_t port, const e2e::account& by, const e2e::account& to, const std::string& title) {
  e2e::http_client c{port};
  auto r = c.post_json("/api/v1/tasks", {{"title", title}, {"assignee_id", to.id}}, by.auth());
  REQUIRE(r.status == 201);
  return r.json()["id"];
}

json feed(std::uint16_t port, const e2e::account& as) {
  e2e::http_client c{port};
  auto r = c.get("/api/v1/notifications?limit=200", as.auth());
  REQUIRE(r.status == 200);
  return r.json();
}

json feed_of_size(std::uint16_t port, const e2e::account& as, std::size_t count) {
  json page;
  for (int i = 0; i < 200; ++i) {
    page = feed(port, as);
    if (page["items"].size() >= count)
      break;
    std::this_thread::sleep_for(50ms);
  }
  return page;
}

auto has_events(std::size_t n) {
  return [n](const std::vector<e2e::sse_event>& events) { return events.size() >= n; };
}

// Publishes `event` on the cluster's stream under a message id of our own,
// so JetStream keeps it even though the same event is already there.
void publish_again(const std::string& nats_url, const messages::EventEnvelope& event, const std::string& msg_id) {
  natsConnection* conn = nullptr;
  REQUIRE(natsConnection_ConnectTo(&conn, nats_url.c_str()) == NATS_OK);
  jsCtx* js = nullptr;
  REQUIRE(natsConnection_JetStream(&js, conn, nullptr) == NATS_OK);
  jsPubOptions opts;
  jsPubOptions_Init(&opts);
  opts.MsgId = msg_id.c_str();
  auto data = event.SerializeAsString();
  jsPubAck* ack = nullptr;
  auto s =
      js_Publish(&ack, js, "taskflow.events.task.created", data.data(), static_cast<int>(data.size()), &opts, nullptr);
  CHECK(s == NATS_OK);
  if (ack)
    CHECK_FALSE(ack->Duplicate);
  jsPubAck_Destroy(ack);
  jsCtx_Destroy(js);
  natsConnection_Destroy(conn);
}

}  // namespace

TEST_CASE("notifications reach streams on every edge, resume on another after a kill, and a duplicate notifies once",
          "[cluster]") {
  cluster_harness cluster;
  for (const auto& id : {"w1", "w2", "w3"})
    cluster.add_node(id);
  cluster.await_members(cluster.node("w1").port(), {"w1", "w2", "w3"}, 15s);
  auto p1 = cluster.node("w1").port();
  auto p2 = cluster.node("w2").port();
  auto ann = e2e::sign_up(p1, "ann@example.com");
  auto bob = e2e::sign_up(p1, "bob@example.com");

  progress("a write through w2 reaches Bob's stream on w1");
  std::vector<std::string> seen;
  {
    e2e::event_stream on_w1{p1, "/api/v1/events", bob.auth()};
    REQUIRE(on_w1.status() == 200);
    for (int i = 0; i < 3; ++i)
      assign(p2, ann, bob, "before " + std::to_string(i));
    auto got = on_w1.wait_for(has_events(3), 15s);
    INFO(on_w1.wire());
    REQUIRE(got.size() == 3);
    for (const auto& e : got)
      seen.push_back(e.id);
  }

  progress("w3 is killed; three more while Bob is away");
  cluster.node("w3").kill9();
  cluster.forget("w3");
  for (int i = 0; i < 3; ++i)
    assign(p2, ann, bob, "while away " + std::to_string(i));

  progress("Bob resumes on w2 with Last-Event-ID");
  auto headers = bob.auth();
  headers["Last-Event-ID"] = seen.back();
  e2e::event_stream on_w2{p2, "/api/v1/events", headers};
  REQUIRE(on_w2.status() == 200);
  auto missed = on_w2.wait_for(has_events(3), 30s);
  INFO(on_w2.wire());
  REQUIRE(missed.size() == 3);
  assign(p1, ann, bob, "live again");
  auto all = on_w2.wait_for(has_events(4), 15s);
  REQUIRE(all.size() == 4);
  std::this_thread::sleep_for(1s);
  CHECK(on_w2.events().size() == 4);
  for (const auto& e : all)
    seen.push_back(e.id);
  std::set<std::string> unique(seen.begin(), seen.end());
  CHECK(unique.size() == 7);
  std::set<std::string> in_feed;
  auto bobs_feed = feed_of_size(p2, bob, 7);
  for (const auto& item : bobs_feed["items"])
    in_feed.insert(item["id"].get<std::string>());
  CHECK(in_feed == unique);

  progress("the same event, delivered twice by the bus, notifies once");
  messages::EventEnvelope event;
  event.set_event_id("01a24c00-0000-7000-8000-00000000d0b1");
  event.set_aggregate_type("task");
  event.set_aggregate_id("01a24c00-0000-7000-8000-00000000face");
  event.set_version(1);
  event.set_occurred_at_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  event.set_actor_id(ann.id);
  auto* task = event.mutable_task_created()->mutable_task();
  task->set_id(event.aggregate_id());
  task->set_title("Delivered twice");
  task->set_owner_id(ann.id);
  task->add_assignees(bob.id);
  task->set_version(1);
  publish_again(cluster.stack().nats_url(), event, "duplicate-test-1");
  publish_again(cluster.stack().nats_url(), event, "duplicate-test-2");
  auto twice = on_w2.wait_for(has_events(5), 15s);
  REQUIRE(twice.size() == 5);
  auto after = feed_of_size(p1, bob, 8);
  std::this_thread::sleep_for(2s);
  after = feed(p1, bob);
  int about_it = 0;
  for (const auto& item : after["items"])
    about_it += item["task_id"] == event.aggregate_id() ? 1 : 0;
  CHECK(about_it == 1);
  CHECK(on_w2.events().size() == 5);
}
