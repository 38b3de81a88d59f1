// The in-process event bus of the embedded single node. It keeps nothing of
// its own: publish() returns only after every declared consumer acknowledged
// each event, so the outbox (which is durable) stays the buffer. A crash
// between a consumer's effect and the outbox being marked sent only causes a
// republish, which the consumer's inbox drops.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "actors/ports/event_bus.hpp"

namespace taskflow::cluster {

class local_event_bus final : public ports::event_bus, public std::enable_shared_from_this<local_event_bus> {
public:
  caf::expected<void> declare_consumer(const std::string& durable_name, ports::consumer_scope scope) override;
  caf::expected<void> publish(const std::vector<messages::EventEnvelope>& events,
                              std::chrono::milliseconds timeout) override;
  caf::expected<std::unique_ptr<ports::bus_subscription>> subscribe(const std::string& durable_name,
                                                                    ports::bus_handler handler) override;

private:
  class subscription;
  struct consumer {
    ports::bus_handler handler;  // empty while nobody is subscribed
    std::uint64_t generation = 0;
  };
  void detach(const std::string& durable_name, std::uint64_t generation);

  std::mutex mutex_;
  std::map<std::string, consumer> consumers_;
};

}  // namespace taskflow::cluster
