// Port: the transactional outbox that the relay drains onto the event bus.
// A service port: actors never call it; only runtime services do (the outbox
// relay, through the guarded store).
#pragma once

#include <cstdint>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "messages/events/event_envelope.pb.h"

namespace taskflow::ports {

struct outbox_entry {
  std::int64_t seq = 0;
  messages::EventEnvelope event;
};

class outbox_store {
public:
  virtual ~outbox_store() = default;

  // Unsent rows in commit order, at most `limit`.
  virtual caf::expected<std::vector<outbox_entry>> fetch_unsent(std::size_t limit) = 0;

  // Marks rows sent once the bus has acknowledged them.
  virtual caf::expected<void> mark_sent(const std::vector<std::int64_t>& seqs) = 0;

  // Rows still waiting to be published.
  virtual caf::expected<std::int64_t> backlog() = 0;

  // Deletes sent rows older than the cutoff; returns how many.
  virtual caf::expected<std::int64_t> prune_sent(std::int64_t older_than_ms) = 0;
};

}  // namespace taskflow::ports
