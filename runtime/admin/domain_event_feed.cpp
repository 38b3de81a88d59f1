#include "runtime/admin/domain_event_feed.hpp"

#include "runtime/admin/admin_json.hpp"

namespace taskflow::runtime {

caf::expected<std::unique_ptr<ports::bus_subscription>> feed_domain_events(ports::event_bus& bus,
                                                                           const std::string& node_id,
                                                                           std::int64_t since_ms,
                                                                           std::function<void(runtime_event)> publish) {
  auto consumer = "admin-events-" + node_id;
  if (auto declared = bus.declare_consumer(consumer, ports::consumer_scope::node); !declared)
    return declared.error();
  return bus.subscribe(consumer, [since_ms, publish = std::move(publish)](ports::bus_delivery d) {
    if (d.event.occurred_at_ms() >= since_ms)
      publish({0, "domain_event", "", d.event.occurred_at_ms(), event_to_json(d.event).dump()});
    d.ack();
  });
}

}  // namespace taskflow::runtime
