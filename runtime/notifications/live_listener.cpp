#include "runtime/notifications/live_listener.hpp"

#include "actors/notification/notification_rules.hpp"

namespace taskflow::runtime {

caf::expected<std::unique_ptr<ports::bus_subscription>> listen_for_live_notifications(ports::event_bus& bus,
                                                                                      const std::string& node_id,
                                                                                      live_notifications& hub) {
  auto consumer = "notify-live-" + node_id;
  if (auto declared = bus.declare_consumer(consumer, ports::consumer_scope::node); !declared)
    return declared.error();
  return bus.subscribe(consumer, [&hub](ports::bus_delivery d) {
    // Pure and quick, and publishing only queues: fine on the bus's thread.
    auto notifications = notification::notifications_for_event(d.event);
    if (!notifications.empty())
      hub.publish(notifications);
    d.ack();
  });
}

}  // namespace taskflow::runtime
