// The in-process bus acknowledges a publish only once every declared consumer did.
#include <catch2/catch.hpp>

#include <thread>

#include "cluster/bus/local_event_bus.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

std::vector<messages::EventEnvelope> events(int n) {
  std::vector<messages::EventEnvelope> out(n);
  for (int i = 0; i < n; ++i)
    out[i].set_event_id("e" + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("publish succeeds once every consumer acked every event", "[local_bus]") {
  auto bus = std::make_shared<cluster::local_event_bus>();
  REQUIRE(bus->declare_consumer("a", ports::consumer_scope::shared));
  std::vector<std::string> seen;
  auto sub = bus->subscribe("a", [&](ports::bus_delivery d) {
    seen.push_back(d.event.event_id());
    d.ack();
  });
  REQUIRE(sub);
  CHECK(bus->publish(events(3), 1s));
  CHECK(seen == std::vector<std::string>{"e0", "e1", "e2"});
}

TEST_CASE("a declared consumer without subscriber makes publish fail, not drop", "[local_bus]") {
  auto bus = std::make_shared<cluster::local_event_bus>();
  REQUIRE(bus->declare_consumer("projector", ports::consumer_scope::shared));
  auto result = bus->publish(events(1), 100ms);
  REQUIRE_FALSE(result);
  CHECK(ports::is(result.error(), ports::store_errc::unavailable));
}

TEST_CASE("a nak or a missing ack fails the publish", "[local_bus]") {
  auto bus = std::make_shared<cluster::local_event_bus>();
  bus->declare_consumer("a", ports::consumer_scope::shared);
  SECTION("nak") {
    auto sub = bus->subscribe("a", [](ports::bus_delivery d) { d.nak(); });
    CHECK_FALSE(bus->publish(events(1), 1s));
  }
  SECTION("no ack in time") {
    std::vector<ports::bus_delivery> parked;
    auto sub = bus->subscribe("a", [&](ports::bus_delivery d) { parked.push_back(std::move(d)); });
    auto result = bus->publish(events(1), 50ms);
    REQUIRE_FALSE(result);
    CHECK(ports::is(result.error(), ports::store_errc::timeout));
    parked.front().ack();  // a late ack must be harmless
  }
}

TEST_CASE("acks may come from another thread", "[local_bus]") {
  auto bus = std::make_shared<cluster::local_event_bus>();
  bus->declare_consumer("a", ports::consumer_scope::shared);
  std::vector<std::thread> workers;
  auto sub = bus->subscribe("a", [&](ports::bus_delivery d) { workers.emplace_back([d = std::move(d)] { d.ack(); }); });
  CHECK(bus->publish(events(5), 2s));
  for (auto& t : workers)
    t.join();
}

TEST_CASE("dropping the subscription detaches, and a second subscriber is refused meanwhile", "[local_bus]") {
  auto bus = std::make_shared<cluster::local_event_bus>();
  bus->declare_consumer("a", ports::consumer_scope::shared);
  auto first = bus->subscribe("a", [](ports::bus_delivery d) { d.ack(); });
  REQUIRE(first);
  CHECK_FALSE(bus->subscribe("a", [](ports::bus_delivery d) { d.ack(); }));
  first->reset();
  CHECK(bus->subscribe("a", [](ports::bus_delivery d) { d.ack(); }));
}
