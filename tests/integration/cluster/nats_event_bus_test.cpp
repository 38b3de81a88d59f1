// The JetStream event bus against a real nats-server from tools/stack/stack:
// acknowledged publishes, deduplication by event id, redelivery until ack,
// trace context in headers, and publishing again after a server restart.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nats/nats.h>

#include <filesystem>

#include "cluster/bus/nats_event_bus.hpp"
#include "persistence/sqlite/sqlite_stores.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

std::atomic<int> counter{0};

messages::EventEnvelope event(const std::string& id) {
  messages::EventEnvelope e;
  e.set_event_id(id);
  e.set_aggregate_type("task");
  e.set_aggregate_id("01a20f1d-0000-7000-8000-0000000000ff");
  e.set_version(1);
  e.set_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  e.mutable_task_created()->mutable_task()->set_title("t");
  return e;
}

std::string unique(const std::string& prefix) {
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

cluster::nats_bus_options options_for(testing::test_stack& stack, const std::string& stream) {
  cluster::nats_bus_options o;
  o.url = stack.nats_url();
  o.stream = stream;
  o.subject_prefix = "t" + stream;  // each test its own subjects, so streams do not overlap
  o.ack_wait = 1s;
  o.nak_delay = 50ms;
  return o;
}

// Messages held by a stream, read through the NATS.c API directly.
std::uint64_t stream_messages(const std::string& url, const std::string& stream) {
  natsConnection* nc = nullptr;
  REQUIRE(natsConnection_ConnectTo(&nc, url.c_str()) == NATS_OK);
  jsCtx* js = nullptr;
  REQUIRE(natsConnection_JetStream(&js, nc, nullptr) == NATS_OK);
  jsStreamInfo* info = nullptr;
  REQUIRE(js_GetStreamInfo(&info, js, stream.c_str(), nullptr, nullptr) == NATS_OK);
  auto msgs = info->State.Msgs;
  jsStreamInfo_Destroy(info);
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
  return msgs;
}

// Collects deliveries from a bus thread for the test thread.
struct inbox {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<ports::bus_delivery> got;

  ports::bus_handler handler() {
    return [this](ports::bus_delivery d) {
      std::lock_guard lock{mutex};
      got.push_back(std::move(d));
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock{mutex};
    return cv.wait_for(lock, timeout, [&] { return got.size() >= n; });
  }
  // The ids of everything delivered up to `settle` after the first delivery
  // (none if nothing came), to tell "exactly this one" from "this one first".
  std::vector<std::string> ids_settled(std::chrono::milliseconds settle) {
    if (!wait_for(1))
      return {};
    std::this_thread::sleep_for(settle);
    std::lock_guard lock{mutex};
    std::vector<std::string> ids;
    for (const auto& d : got)
      ids.push_back(d.event.event_id());
    return ids;
  }
  void ack_first() {
    std::lock_guard lock{mutex};
    got.front().ack();
  }
};

using id_list = std::vector<std::string>;

}  // namespace

TEST_CASE("publishing the same event twice stores one message", "[nats]") {
  auto& stack = testing::test_stack::shared();
  auto stream = unique("DEDUP");
  auto bus = cluster::nats_event_bus::connect(options_for(stack, stream));
  REQUIRE(bus);
  auto e = event(unique("evt"));
  REQUIRE((*bus)->publish({e}, 2s));
  REQUIRE((*bus)->publish({e, event(unique("evt"))}, 2s));
  CHECK(stream_messages(stack.nats_url(), stream) == 2);
}

TEST_CASE("a durable consumer gets every event, again until acked", "[nats]") {
  auto& stack = testing::test_stack::shared();
  auto stream = unique("DELIVER");
  auto bus = *cluster::nats_event_bus::connect(options_for(stack, stream));
  // Declared first: events published before anyone subscribes wait for it.
  REQUIRE(bus->declare_consumer("projector", ports::consumer_scope::shared));
  REQUIRE(bus->publish({event("e1"), event("e2")}, 2s));

  inbox in;
  auto sub = bus->subscribe("projector", in.handler());
  REQUIRE(sub);
  REQUIRE(in.wait_for(2));
  {
    std::lock_guard lock{in.mutex};
    CHECK(in.got[0].event.event_id() == "e1");
    CHECK(in.got[1].event.event_id() == "e2");
    CHECK(in.got[0].event.traceparent() == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    in.got[0].ack();
    in.got[1].nak();  // comes back soon
  }
  REQUIRE(in.wait_for(3));
  {
    std::lock_guard lock{in.mutex};
    CHECK(in.got[2].event.event_id() == "e2");
    // Not answered at all: it comes back after the ack wait.
  }
  REQUIRE(in.wait_for(4, 4s));
  std::lock_guard lock{in.mutex};
  CHECK(in.got[3].event.event_id() == "e2");
  in.got[3].ack();
}

TEST_CASE("a node's own consumer starts with new events and is dropped after it sat idle", "[nats]") {
  auto& stack = testing::test_stack::shared();
  auto o = options_for(stack, unique("NODE"));
  o.node_consumer_expiry = 1s;
  auto bus = *cluster::nats_event_bus::connect(o);
  REQUIRE(bus->publish({event("before")}, 2s));
  REQUIRE(bus->declare_consumer("shared", ports::consumer_scope::shared));
  REQUIRE(bus->declare_consumer("node-a", ports::consumer_scope::node));
  REQUIRE(bus->publish({event("after")}, 2s));
  {
    inbox shared;
    inbox own;
    auto s1 = bus->subscribe("shared", shared.handler());
    auto s2 = bus->subscribe("node-a", own.handler());
    REQUIRE(shared.wait_for(2));
    REQUIRE(own.ids_settled(300ms) == id_list{"after"});
    own.ack_first();
  }
  // Nobody pulls from node-a now: the server drops it, and what is published
  // meanwhile is not kept for a node that may never come back.
  REQUIRE(bus->publish({event("while away")}, 2s));
  std::this_thread::sleep_for(4s);
  REQUIRE(bus->declare_consumer("node-a", ports::consumer_scope::node));
  REQUIRE(bus->publish({event("back")}, 2s));
  inbox own;
  auto sub = bus->subscribe("node-a", own.handler());
  REQUIRE(own.ids_settled(300ms) == id_list{"back"});
}

TEST_CASE("a subscriber that comes back resumes where its durable consumer was", "[nats]") {
  auto& stack = testing::test_stack::shared();
  auto bus = *cluster::nats_event_bus::connect(options_for(stack, unique("RESUME")));
  REQUIRE(bus->declare_consumer("c", ports::consumer_scope::shared));
  REQUIRE(bus->publish({event("r1")}, 2s));
  {
    inbox in;
    auto sub = std::move(*bus->subscribe("c", in.handler()));
    REQUIRE(in.wait_for(1));
    std::lock_guard lock{in.mutex};
    in.got[0].ack();
  }
  REQUIRE(bus->publish({event("r2")}, 2s));
  inbox in;
  auto sub = std::move(*bus->subscribe("c", in.handler()));
  REQUIRE(in.ids_settled(200ms) == id_list{"r2"});
  in.ack_first();
}

TEST_CASE("publish fails while nats-server is down and works once it is back", "[nats][fault]") {
  testing::test_stack stack;  // its own servers: this one gets stopped
  auto bus = *cluster::nats_event_bus::connect(options_for(stack, "OUTAGE"));
  REQUIRE(bus->publish({event("o1")}, 2s));
  stack.stop("nats");
  auto failed = bus->publish({event("o2")}, 500ms);
  CHECK_FALSE(failed);
  CHECK_FALSE(bus->connected());
  stack.restart("nats");
  auto until = std::chrono::steady_clock::now() + 15s;
  bool published = false;
  while (!published && std::chrono::steady_clock::now() < until) {
    published = static_cast<bool>(bus->publish({event("o2")}, 1s));
    if (!published)
      std::this_thread::sleep_for(100ms);
  }
  CHECK(published);
  CHECK(stream_messages(stack.nats_url(), "OUTAGE") == 2);
}

TEST_CASE("a redelivered event has one effect on the read model", "[nats][inbox]") {
  auto& stack = testing::test_stack::shared();
  auto bus = *cluster::nats_event_bus::connect(options_for(stack, unique("REDELIVER")));
  auto dir = std::filesystem::temp_directory_path() / unique("taskflow-redeliver");
  auto store = persistence::open_sqlite_stores(dir / "taskflow.db")->read_model;
  REQUIRE(bus->declare_consumer("projector", ports::consumer_scope::shared));
  auto e = event(unique("evt"));
  e.mutable_task_created()->mutable_task()->set_id(e.aggregate_id());
  e.mutable_task_created()->mutable_task()->set_owner_id("owner");
  e.mutable_task_created()->mutable_task()->set_version(1);
  REQUIRE(bus->publish({e}, 2s));

  inbox in;
  auto sub = std::move(*bus->subscribe("projector", in.handler()));
  REQUIRE(in.wait_for(1));
  using outcomes = std::vector<ports::projection_outcome>;
  {
    std::lock_guard lock{in.mutex};
    // Projected, then the consumer "crashes" before acking: JetStream redelivers.
    CHECK(*store->project("projector", {in.got[0].event}) == outcomes{ports::projection_outcome::applied});
    in.got[0].nak();
  }
  REQUIRE(in.wait_for(2));
  std::lock_guard lock{in.mutex};
  CHECK(in.got[1].event.event_id() == e.event_id());
  CHECK(*store->project("projector", {in.got[1].event}) == outcomes{ports::projection_outcome::duplicate});
  in.got[1].ack();
  messages::ListTasksQuery q;
  q.set_viewer_is_admin(true);
  q.set_limit(10);
  CHECK(store->list_tasks(q)->total() == 1);
  std::filesystem::remove_all(dir);
}
