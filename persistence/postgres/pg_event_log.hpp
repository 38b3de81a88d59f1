// The events table and the outbox, written together: every adapter that
// commits an aggregate's events appends them here, in its own transaction,
// so an event is published exactly when its state change is durable.
#pragma once

#include <cstdint>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "messages/events/event_envelope.pb.h"

namespace taskflow::persistence::pg_event_log {

// Names the prepared statement append() runs.
void prepare(pqxx::connection& conn);

// Appends the events and their outbox rows (created at `now`) inside the
// caller's transaction, one round trip each.
void append(pqxx::transaction_base& tx, const std::vector<messages::EventEnvelope>& events, std::int64_t now);

}  // namespace taskflow::persistence::pg_event_log
