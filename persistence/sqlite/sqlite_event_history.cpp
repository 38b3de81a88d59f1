#include "persistence/sqlite/sqlite_event_history.hpp"

#include "persistence/codec/proto_json.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {

sqlite_event_history::sqlite_event_history(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::vector<messages::EventEnvelope>> sqlite_event_history::recent_events(
    const std::string& aggregate_type, const std::string& aggregate_id, std::size_t limit) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(
        "SELECT payload FROM events WHERE aggregate_id = ? AND aggregate_type = ? "
        "ORDER BY version DESC, seq DESC LIMIT ?");
    q.bind(1, aggregate_id).bind(2, aggregate_type).bind(3, static_cast<std::int64_t>(limit));
    std::vector<messages::EventEnvelope> out;
    while (q.step()) {
      messages::EventEnvelope event;
      if (auto decoded = from_json(q.column_text(0), event); !decoded)
        return decoded.error();
      out.push_back(std::move(event));
    }
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
