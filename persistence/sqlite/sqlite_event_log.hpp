// The events table and the outbox, written together: every adapter that
// commits an aggregate's events appends them here, in its own transaction,
// so an event is published exactly when its state change is durable.
#pragma once

#include <vector>

#include "messages/events/event_envelope.pb.h"

namespace taskflow::persistence {

class sqlite_db;

// Appends the events and their outbox rows inside the caller's transaction.
void append_events(sqlite_db& db, const std::vector<messages::EventEnvelope>& events);

}  // namespace taskflow::persistence
