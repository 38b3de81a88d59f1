#include "persistence/sqlite/sqlite_read_model_store.hpp"

#include <variant>

#include "actors/task/task_status.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/projection/view_projection.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {

namespace {

// Records the event in the consumer's inbox: false when it was there.
bool record_fresh(sqlite_db& db, const std::string& consumer, const messages::EventEnvelope& event, std::int64_t now) {
  db.prepare("INSERT OR IGNORE INTO inbox (consumer, event_id, processed_at_ms) VALUES (?, ?, ?)")
      .bind(1, consumer)
      .bind(2, event.event_id())
      .bind(3, now)
      .run();
  return db.changes() > 0;
}

// Where a task's view stands: its row's version, or its tombstone's.
std::int64_t known_version(sqlite_db& db, const std::string& task_id) {
  auto& current = db.prepare(
      "SELECT MAX(v) FROM (SELECT version AS v FROM task_view WHERE id = ?1 "
      "UNION ALL SELECT version FROM task_view_tombstones WHERE id = ?1)");
  current.bind(1, task_id);
  return current.step() && !current.column_is_null(0) ? current.column_int(0) : 0;
}

void write_view(sqlite_db& db, const view_projection::view_tombstone& tombstone) {
  db.prepare("DELETE FROM task_view WHERE id = ?").bind(1, tombstone.id).run();
  db.prepare("INSERT OR REPLACE INTO task_view_tombstones (id, version) VALUES (?, ?)")
      .bind(1, tombstone.id)
      .bind(2, tombstone.version)
      .run();
}

void write_view(sqlite_db& db, const view_projection::view_row& row) {
  db.prepare(
        "INSERT INTO task_view (id, owner_id, status, version, created_at_ms, updated_at_ms, "
        "task) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET "
        "owner_id = ?2, status = ?3, version = ?4, created_at_ms = ?5, updated_at_ms = ?6, "
        "task = ?7")
      .bind(1, row.id)
      .bind(2, row.owner_id)
      .bind(3, row.status)
      .bind(4, row.version)
      .bind(5, row.created_at_ms)
      .bind(6, row.updated_at_ms)
      .bind(7, row.task)
      .run();
  db.prepare("DELETE FROM task_view_assignees WHERE task_id = ?").bind(1, row.id).run();
  for (const auto& assignee : row.assignees)
    db.prepare("INSERT OR IGNORE INTO task_view_assignees (task_id, assignee_id) VALUES (?, ?)")
        .bind(1, row.id)
        .bind(2, assignee)
        .run();
}

}  // namespace

sqlite_read_model_store::sqlite_read_model_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::vector<ports::projection_outcome>> sqlite_read_model_store::project(
    const std::string& consumer, const std::vector<messages::EventEnvelope>& events) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    std::vector<ports::projection_outcome> outcomes;
    std::vector<bool> fresh;
    outcomes.reserve(events.size());
    fresh.reserve(events.size());
    auto now = clock::unix_now_ms();
    for (const auto& event : events) {
      fresh.push_back(record_fresh(*db, consumer, event, now));
      outcomes.push_back(fresh.back() ? ports::projection_outcome::applied : ports::projection_outcome::duplicate);
    }
    for (const auto& entry : view_projection::newest_by_task(events, fresh)) {
      const auto& event = *entry.second;
      if (auto change = view_projection::change_of(event, known_version(*db, event.aggregate_id())))
        std::visit([&](const auto& to) { write_view(*db, to); }, *change);
    }
    tx.commit();
    return outcomes;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

namespace {

// The visibility and filter clause of task lists. ?1 viewer, ?2 admin flag,
// ?3 status or NULL, ?4 assignee or NULL.
constexpr auto list_filter =
    " FROM task_view v WHERE (?2 = 1 OR v.owner_id = ?1 OR EXISTS (SELECT 1 FROM "
    "task_view_assignees a WHERE a.task_id = v.id AND a.assignee_id = ?1))"
    " AND (?3 IS NULL OR v.status = ?3)"
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM task_view_assignees b WHERE b.task_id = v.id "
    "AND b.assignee_id = ?4))";

void bind_list_filter(sqlite_statement& q, const messages::ListTasksQuery& query) {
  q.bind(1, query.viewer_id()).bind(2, std::int64_t{query.viewer_is_admin()});
  q.bind_optional(3, query.has_status() ? std::optional<std::string>{std::string{task::status_name(query.status())}}
                                        : std::nullopt);
  q.bind_optional(4, query.has_assignee_id() ? std::optional<std::string>{query.assignee_id()} : std::nullopt);
}

}  // namespace

caf::expected<messages::TaskPage> sqlite_read_model_store::list_tasks(const messages::ListTasksQuery& query) {
  try {
    auto db = pool_->read();
    const std::string filter = list_filter;
    messages::TaskPage page;
    auto& count = db->prepare("SELECT COUNT(*)" + filter);
    bind_list_filter(count, query);
    count.step();
    page.set_total(count.column_int(0));

    auto& rows = db->prepare("SELECT v.task" + filter + " ORDER BY v.created_at_ms DESC, v.id DESC LIMIT ?5 OFFSET ?6");
    bind_list_filter(rows, query);
    rows.bind(5, std::int64_t{query.limit()}).bind(6, std::int64_t{query.offset()});
    while (rows.step()) {
      if (auto decoded = from_json(rows.column_text(0), *page.add_items()); !decoded)
        return decoded.error();
    }
    return page;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<messages::TaskPage> sqlite_read_model_store::list_tasks_keyset(const messages::ListTasksQuery& query) {
  try {
    auto db = pool_->read();
    // A row-value comparison walks task_view_newest from the position on; one
    // row beyond the limit tells whether another page follows.
    const auto& after = query.keyset().after();
    auto& rows = db->prepare(std::string{"SELECT v.task"} + list_filter +
                             " AND (?5 = 0 OR (v.created_at_ms, v.id) < (?6, ?7))"
                             " ORDER BY v.created_at_ms DESC, v.id DESC LIMIT ?8");
    bind_list_filter(rows, query);
    rows.bind(5, std::int64_t{query.keyset().has_after()})
        .bind(6, after.created_at_ms())
        .bind(7, after.id())
        .bind(8, std::int64_t{query.limit()} + 1);
    messages::TaskPage page;
    while (rows.step()) {
      if (page.items_size() == query.limit()) {
        page.set_has_more(true);
        break;
      }
      if (auto decoded = from_json(rows.column_text(0), *page.add_items()); !decoded)
        return decoded.error();
    }
    return page;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<ports::view_mark> sqlite_read_model_store::view_mark_of(const std::string& task_id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(
        "SELECT version, 0 FROM task_view WHERE id = ?1 "
        "UNION ALL SELECT version, 1 FROM task_view_tombstones WHERE id = ?1 ORDER BY 1 DESC LIMIT 1");
    q.bind(1, task_id);
    if (!q.step())
      return ports::view_mark{};
    return ports::view_mark{q.column_int(0), q.column_int(1) == 1};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<void> sqlite_read_model_store::ping() {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT 1");
    q.step();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
