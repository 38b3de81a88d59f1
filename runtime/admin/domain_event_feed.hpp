// Shows every domain event on the admin stream of every node, so each node
// has a durable consumer of its own. The stream is live: a consumer replays
// what it missed while the node was down, and those older events are skipped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "actors/ports/event_bus.hpp"
#include "runtime/admin/runtime_events.hpp"

namespace taskflow::runtime {

caf::expected<std::unique_ptr<ports::bus_subscription>> feed_domain_events(ports::event_bus& bus,
                                                                           const std::string& node_id,
                                                                           std::int64_t since_ms,
                                                                           std::function<void(runtime_event)> publish);

}  // namespace taskflow::runtime
