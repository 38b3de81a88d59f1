#include "persistence/sqlite/sqlite_event_log.hpp"

#include "messages/events/event_type.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/sqlite/sqlite_db.hpp"

namespace taskflow::persistence {

void append_events(sqlite_db& db, const std::vector<messages::EventEnvelope>& events) {
  auto created = clock::unix_now_ms();
  for (const auto& event : events) {
    auto payload = to_json(event);
    db.prepare(
          "INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, "
          "occurred_at_ms, payload) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, event.event_id())
        .bind(2, event.aggregate_type())
        .bind(3, event.aggregate_id())
        .bind(4, event.version())
        .bind(5, messages::event_type(event))
        .bind(6, event.occurred_at_ms())
        .bind(7, payload)
        .run();
    db.prepare("INSERT INTO outbox (event_id, payload, created_at_ms) VALUES (?, ?, ?)")
        .bind(1, event.event_id())
        .bind(2, payload)
        .bind(3, created)
        .run();
  }
}

}  // namespace taskflow::persistence
