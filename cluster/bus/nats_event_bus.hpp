// The event bus between nodes: NATS JetStream. One stream holds every domain
// event (subjects taskflow.events.>); a publish counts only once JetStream
// acknowledged it, and Nats-Msg-Id = event_id makes a republish a no-op
// inside the stream's duplicate window. Consumers are durable pull
// consumers with explicit ack: a delivery that is not acked in time, or is
// nak'ed, comes again, and the consumer's inbox keeps its effect single.
// The W3C traceparent travels as a NATS header. The client reconnects on its
// own; while it is away, publish fails and the outbox keeps the events.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "actors/ports/event_bus.hpp"

namespace taskflow::cluster {

struct nats_bus_options {
  std::string url;  // nats://host:port, comma-separated for a cluster
  std::string stream = "TASKFLOW_EVENTS";
  std::string subject_prefix = "taskflow.events";
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds reconnect_wait{250};
  // How long the stream keeps events, and how long it remembers an event id
  // to drop a republish.
  std::chrono::hours max_age{24 * 7};
  std::chrono::minutes duplicate_window{10};
  // Unacked deliveries come again after this long: what a crashed consumer
  // costs in projection lag. Consumers ack within milliseconds; a slower one
  // only causes a redelivery, which the inbox absorbs.
  std::chrono::milliseconds ack_wait{std::chrono::seconds{10}};
  // A nak'ed delivery waits this long before it comes again, so a consumer
  // whose store is down does not spin.
  std::chrono::milliseconds nak_delay{std::chrono::seconds{1}};
  // Each pull asks for up to this many deliveries and waits at most this long
  // on an idle consumer.
  int pull_batch = 256;
  std::chrono::milliseconds pull_expires{250};
  // A node's own consumer outlives a restart or a long outage of the node,
  // and is gone a day after the node last pulled.
  std::chrono::milliseconds node_consumer_expiry{std::chrono::hours{24}};
};

class nats_event_bus final : public ports::event_bus {
public:
  // Connects and creates (or updates) the stream; fails when the server
  // cannot be reached.
  static caf::expected<std::shared_ptr<nats_event_bus>> connect(nats_bus_options options);
  ~nats_event_bus() override;

  caf::expected<void> declare_consumer(const std::string& durable_name, ports::consumer_scope scope) override;
  caf::expected<void> publish(const std::vector<messages::EventEnvelope>& events,
                              std::chrono::milliseconds timeout) override;
  caf::expected<std::unique_ptr<ports::bus_subscription>> subscribe(const std::string& durable_name,
                                                                    ports::bus_handler handler) override;

  // True while the client holds a connection to a server.
  bool connected() const;

  // The subject an event is published on: <prefix>.<event type>.
  std::string subject_for(const messages::EventEnvelope& event) const;

  struct impl;

private:
  explicit nats_event_bus(std::unique_ptr<impl> self);
  class pull_subscription;
  std::unique_ptr<impl> self_;
};

}  // namespace taskflow::cluster
