#include "persistence/postgres/pg_reminder_store.hpp"

#include <limits>

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {

pg_reminder_store::pg_reminder_store(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

void pg_reminder_store::prepare(pqxx::connection& conn) {
  // A row-value comparison, so the scan walks the index from the page's end.
  conn.prepare(
      "reminders_due",
      "SELECT id, remind_at_ms, remind_traceparent FROM tasks WHERE remind_at_ms IS NOT NULL AND remind_at_ms <= $1 "
      "AND (remind_at_ms, id) > ($2, $3) ORDER BY remind_at_ms, id LIMIT $4");
}

caf::expected<std::vector<ports::reminder_timer>> pg_reminder_store::due_reminders(
    std::int64_t until_ms, const std::optional<ports::reminder_timer>& after, std::size_t limit) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<ports::reminder_timer>> {
      pqxx::nontransaction tx{conn};
      auto from = after.value_or(ports::reminder_timer{"", std::numeric_limits<std::int64_t>::min()});
      auto rows = tx.exec_prepared("reminders_due", until_ms, from.remind_at_ms, from.task_id,
                                   static_cast<std::int64_t>(limit));
      std::vector<ports::reminder_timer> out;
      out.reserve(rows.size());
      for (const auto& row : rows)
        out.push_back({row[0].c_str(), row[1].as<std::int64_t>(), row[2].c_str()});
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
