#include "cluster/bus/local_event_bus.hpp"

#include <condition_variable>
#include <vector>

namespace taskflow::cluster {
namespace {

// Counts outstanding acknowledgements of one publish call. Shared with the
// ack callbacks so a late ack after a timed-out publish touches live memory.
struct ack_latch {
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t outstanding = 0;
  bool rejected = false;

  void settle(bool ok) {
    {
      std::lock_guard lock{mutex};
      --outstanding;
      rejected = rejected || !ok;
    }
    cv.notify_all();
  }
};

}  // namespace

class local_event_bus::subscription final : public ports::bus_subscription {
public:
  subscription(std::weak_ptr<local_event_bus> bus, std::string name, std::uint64_t generation)
      : bus_(std::move(bus)), name_(std::move(name)), generation_(generation) {}
  ~subscription() override {
    if (auto bus = bus_.lock())
      bus->detach(name_, generation_);
  }

private:
  std::weak_ptr<local_event_bus> bus_;
  std::string name_;
  std::uint64_t generation_;
};

// One process: a node's own consumer ends with it anyway.
caf::expected<void> local_event_bus::declare_consumer(const std::string& durable_name, ports::consumer_scope) {
  std::lock_guard lock{mutex_};
  consumers_.try_emplace(durable_name);
  return caf::unit;
}

caf::expected<void> local_event_bus::publish(const std::vector<messages::EventEnvelope>& events,
                                             std::chrono::milliseconds timeout) {
  std::vector<std::pair<std::string, ports::bus_handler>> targets;
  {
    std::lock_guard lock{mutex_};
    for (const auto& [name, c] : consumers_) {
      if (!c.handler)
        return ports::make_error(ports::store_errc::unavailable, "consumer " + name + " is not attached");
      targets.emplace_back(name, c.handler);
    }
  }
  if (targets.empty() || events.empty())
    return caf::unit;

  auto latch = std::make_shared<ack_latch>();
  latch->outstanding = targets.size() * events.size();
  for (const auto& [name, handler] : targets) {
    for (const auto& event : events) {
      // Both callbacks share one flag so a confused consumer that calls both
      // (or one twice) settles the event once.
      auto settled = std::make_shared<std::once_flag>();
      handler(ports::bus_delivery{
          event,
          [latch, settled] { std::call_once(*settled, [&] { latch->settle(true); }); },
          [latch, settled] { std::call_once(*settled, [&] { latch->settle(false); }); },
      });
    }
  }
  std::unique_lock lock{latch->mutex};
  if (!latch->cv.wait_for(lock, timeout, [&] { return latch->outstanding == 0; }))
    return ports::make_error(ports::store_errc::timeout, "consumers did not acknowledge in time");
  if (latch->rejected)
    return ports::make_error(ports::store_errc::unavailable, "a consumer rejected an event");
  return caf::unit;
}

caf::expected<std::unique_ptr<ports::bus_subscription>> local_event_bus::subscribe(const std::string& durable_name,
                                                                                   ports::bus_handler handler) {
  std::lock_guard lock{mutex_};
  auto& c = consumers_[durable_name];
  if (c.handler)
    return ports::make_error(ports::store_errc::conflict, "consumer " + durable_name + " already has a subscriber");
  c.handler = std::move(handler);
  ++c.generation;
  return std::unique_ptr<ports::bus_subscription>{
      std::make_unique<subscription>(weak_from_this(), durable_name, c.generation)};
}

void local_event_bus::detach(const std::string& durable_name, std::uint64_t generation) {
  std::lock_guard lock{mutex_};
  auto it = consumers_.find(durable_name);
  if (it != consumers_.end() && it->second.generation == generation)
    it->second.handler = nullptr;
}

}  // namespace taskflow::cluster
