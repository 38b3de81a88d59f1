// Feeds this edge's live streams from the bus: a consumer of the node's own
// (it starts with events published after it was made) that applies the
// notification rules to every event and hands the result to the hub. The
// shared notification consumer, on whichever node, writes the same
// notifications to the feed, with the same ids, so a stream shows them
// without waiting for that write and a resume from the feed lines up.
#pragma once

#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "actors/ports/event_bus.hpp"
#include "runtime/notifications/live_notifications.hpp"

namespace taskflow::runtime {

caf::expected<std::unique_ptr<ports::bus_subscription>> listen_for_live_notifications(ports::event_bus& bus,
                                                                                      const std::string& node_id,
                                                                                      live_notifications& hub);

}  // namespace taskflow::runtime
