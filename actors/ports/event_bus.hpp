// Port: the event bus between nodes (JetStream) or inside one (in-process).
// Delivery is at least once; consumers keep effects single with an inbox.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "messages/events/event_envelope.pb.h"

namespace taskflow::ports {

struct bus_delivery {
  messages::EventEnvelope event;
  // Exactly one of these is called once the consumer is done with the event.
  std::function<void()> ack;
  std::function<void()> nak;
};

// Called on a bus thread; must hand the delivery off without blocking.
using bus_handler = std::function<void(bus_delivery)>;

class bus_subscription {
public:
  virtual ~bus_subscription() = default;
};

// Who reads through a consumer. A shared one (the projector, whichever nodes
// run) gets every event the stream holds and lives as long as the stream.
// A node's own one (its revocation listener, its admin feed) is named after
// the node: it starts with the events published after it was created, and
// the bus may drop it once nobody has read from it for a long while, so
// nodes that are gone for good leave nothing behind.
enum class consumer_scope { shared, node };

class event_bus {
public:
  virtual ~event_bus() = default;

  // Creates the durable consumer if it does not exist, so events published
  // before anyone subscribes are kept for it.
  virtual caf::expected<void> declare_consumer(const std::string& durable_name, consumer_scope scope) = 0;

  // Returns once the bus has taken responsibility for every event, or fails
  // (then the caller publishes again later; the bus drops duplicates by event id).
  virtual caf::expected<void> publish(const std::vector<messages::EventEnvelope>& events,
                                      std::chrono::milliseconds timeout) = 0;

  // Deliveries stop when the returned subscription is destroyed.
  virtual caf::expected<std::unique_ptr<bus_subscription>> subscribe(const std::string& durable_name,
                                                                     bus_handler handler) = 0;
};

}  // namespace taskflow::ports
