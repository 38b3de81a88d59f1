#include "runtime/resilience/guarded_event_bus.hpp"

namespace taskflow::runtime {

guarded_event_bus::guarded_event_bus(std::shared_ptr<ports::event_bus> bus, std::shared_ptr<dependency_guard> guard)
    : bus_(std::move(bus)), guard_(std::move(guard)) {}

caf::expected<void> guarded_event_bus::declare_consumer(const std::string& durable_name, ports::consumer_scope scope) {
  return guard_->call(true, [&] { return bus_->declare_consumer(durable_name, scope); });
}

caf::expected<void> guarded_event_bus::publish(const std::vector<messages::EventEnvelope>& events,
                                               std::chrono::milliseconds timeout) {
  return guard_->call(false, [&] { return bus_->publish(events, timeout); });
}

caf::expected<std::unique_ptr<ports::bus_subscription>> guarded_event_bus::subscribe(const std::string& durable_name,
                                                                                     ports::bus_handler handler) {
  return guard_->call(true, [&] { return bus_->subscribe(durable_name, handler); });
}

}  // namespace taskflow::runtime
