// Port: the events each aggregate committed, as the store keeps them beside
// its state. Read-only; what the admin API shows as an actor's recent events.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "messages/events/event_envelope.pb.h"

namespace taskflow::ports {

class event_history {
public:
  virtual ~event_history() = default;

  // The aggregate's latest events, newest first, at most `limit`.
  virtual caf::expected<std::vector<messages::EventEnvelope>> recent_events(const std::string& aggregate_type,
                                                                            const std::string& aggregate_id,
                                                                            std::size_t limit) = 0;
};

}  // namespace taskflow::ports
