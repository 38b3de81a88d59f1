// The runtime events hub: every subscriber sees every event in order, a
// slow one loses its oldest events and is told how many, and a dropped
// subscription hears nothing more.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "runtime/admin/runtime_events.hpp"

using namespace taskflow;

namespace {

runtime::runtime_event event(const std::string& kind) {
  return {0, kind, "n1", 1000, "{}"};
}

}  // namespace

TEST_CASE("subscribers get events in order with increasing sequence numbers", "[runtime_events]") {
  runtime::runtime_events hub{8};
  auto a = hub.subscribe(nullptr);
  auto b = hub.subscribe(nullptr);
  hub.publish(event("activation"));
  hub.publish(event("passivation"));
  for (auto* sub : {a.get(), b.get()}) {
    auto batch = sub->take();
    REQUIRE(batch.events.size() == 2);
    CHECK(batch.events[0].kind == "activation");
    CHECK(batch.events[1].kind == "passivation");
    CHECK(batch.events[0].seq < batch.events[1].seq);
    CHECK(batch.dropped == 0);
    CHECK(sub->take().events.empty());
  }
}

TEST_CASE("a full queue drops its oldest events and counts them", "[runtime_events]") {
  runtime::runtime_events hub{3};
  auto sub = hub.subscribe(nullptr);
  for (int i = 0; i < 10; ++i)
    hub.publish({0, "domain_event", "n1", i, "{}"});
  auto batch = sub->take();
  REQUIRE(batch.events.size() == 3);
  CHECK(batch.events.front().at_ms == 7);
  CHECK(batch.events.back().at_ms == 9);
  CHECK(batch.dropped == 7);
  hub.publish(event("activation"));
  CHECK(sub->take().dropped == 0);
}

TEST_CASE("wake fires once per batch, after a take", "[runtime_events]") {
  runtime::runtime_events hub{16};
  int wakes = 0;
  auto sub = hub.subscribe([&] { ++wakes; });
  hub.publish(event("activation"));
  hub.publish(event("activation"));
  CHECK(wakes == 1);
  sub->take();
  hub.publish(event("activation"));
  CHECK(wakes == 2);
}

TEST_CASE("a dropped subscription is no longer offered anything", "[runtime_events]") {
  runtime::runtime_events hub{16};
  auto sub = hub.subscribe(nullptr);
  CHECK(hub.subscribers() == 1);
  sub.reset();
  CHECK(hub.subscribers() == 0);
  hub.publish(event("activation"));
}

TEST_CASE("publishers on many threads and subscribers coming and going stay consistent", "[runtime_events]") {
  runtime::runtime_events hub{64};
  std::atomic<bool> stop{false};
  std::thread churn{[&] {
    while (!stop) {
      auto sub = hub.subscribe([] {});
      sub->take();
    }
  }};
  auto steady = hub.subscribe(nullptr);
  std::vector<std::thread> publishers;
  for (int t = 0; t < 4; ++t)
    publishers.emplace_back([&] {
      for (int i = 0; i < 1000; ++i)
        hub.publish(event("domain_event"));
    });
  std::uint64_t seen = 0;
  for (auto& p : publishers)
    p.join();
  stop = true;
  churn.join();
  auto batch = steady->take();
  seen = batch.events.size() + batch.dropped;
  CHECK(seen == 4000);
}
