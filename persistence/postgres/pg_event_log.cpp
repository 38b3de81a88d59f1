#include "persistence/postgres/pg_event_log.hpp"

#include <string>

#include "messages/events/event_type.hpp"
#include "persistence/codec/proto_json.hpp"

namespace taskflow::persistence::pg_event_log {

void prepare(pqxx::connection& conn) {
  conn.prepare("event_insert",
               "WITH e AS (INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, "
               "occurred_at_ms, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)) "
               "INSERT INTO outbox (event_id, payload, created_at_ms) VALUES ($1, $7, $8)");
}

void append(pqxx::transaction_base& tx, const std::vector<messages::EventEnvelope>& events, std::int64_t now) {
  for (const auto& event : events)
    tx.exec_prepared("event_insert", event.event_id(), event.aggregate_type(), event.aggregate_id(), event.version(),
                     std::string{messages::event_type(event)}, event.occurred_at_ms(), to_json(event), now);
}

}  // namespace taskflow::persistence::pg_event_log
