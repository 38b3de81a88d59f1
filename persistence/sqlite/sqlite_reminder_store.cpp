#include "persistence/sqlite/sqlite_reminder_store.hpp"

#include <limits>

#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {

sqlite_reminder_store::sqlite_reminder_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::vector<ports::reminder_timer>> sqlite_reminder_store::due_reminders(
    std::int64_t until_ms, const std::optional<ports::reminder_timer>& after, std::size_t limit) {
  try {
    auto db = pool_->read();
    // Before every timer there is: the first page starts at the beginning.
    auto from = after.value_or(ports::reminder_timer{"", std::numeric_limits<std::int64_t>::min()});
    auto& q = db->prepare(
        "SELECT id, remind_at_ms, remind_traceparent FROM tasks WHERE remind_at_ms IS NOT NULL AND remind_at_ms <= ? "
        "AND (remind_at_ms, id) > (?, ?) ORDER BY remind_at_ms, id LIMIT ?");
    q.bind(1, until_ms).bind(2, from.remind_at_ms).bind(3, from.task_id).bind(4, static_cast<std::int64_t>(limit));
    std::vector<ports::reminder_timer> out;
    while (q.step())
      out.push_back({q.column_text(0), q.column_int(1), q.column_text(2)});
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
