// The event bus behind a dependency guard. While NATS is away the relay's
// publish fails at once (the outbox keeps the events) instead of waiting
// out the ack timeout on every poll.
#pragma once

#include <memory>

#include "actors/ports/event_bus.hpp"
#include "runtime/resilience/dependency_guard.hpp"

namespace taskflow::runtime {

class guarded_event_bus final : public ports::event_bus {
public:
  guarded_event_bus(std::shared_ptr<ports::event_bus> bus, std::shared_ptr<dependency_guard> guard);

  caf::expected<void> declare_consumer(const std::string& durable_name, ports::consumer_scope scope) override;
  // Not retried here: the relay polls again anyway.
  caf::expected<void> publish(const std::vector<messages::EventEnvelope>& events,
                              std::chrono::milliseconds timeout) override;
  caf::expected<std::unique_ptr<ports::bus_subscription>> subscribe(const std::string& durable_name,
                                                                    ports::bus_handler handler) override;

private:
  std::shared_ptr<ports::event_bus> bus_;
  std::shared_ptr<dependency_guard> guard_;
};

}  // namespace taskflow::runtime
