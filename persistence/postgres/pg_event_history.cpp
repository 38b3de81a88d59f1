#include "persistence/postgres/pg_event_history.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "persistence/codec/proto_json.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {

pg_event_history::pg_event_history(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::vector<messages::EventEnvelope>> pg_event_history::recent_events(const std::string& aggregate_type,
                                                                                    const std::string& aggregate_id,
                                                                                    std::size_t limit) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<messages::EventEnvelope>> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_params(
          "SELECT payload FROM events WHERE aggregate_id = $1 AND aggregate_type = $2 "
          "ORDER BY version DESC, seq DESC LIMIT $3",
          aggregate_id, aggregate_type, static_cast<std::int64_t>(limit));
      std::vector<messages::EventEnvelope> out;
      out.reserve(rows.size());
      for (const auto& row : rows) {
        messages::EventEnvelope event;
        if (auto decoded = from_json(row[0].c_str(), event); !decoded)
          return decoded.error();
        out.push_back(std::move(event));
      }
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
