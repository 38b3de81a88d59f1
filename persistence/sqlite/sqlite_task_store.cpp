#include "persistence/sqlite/sqlite_task_store.hpp"

#include "persistence/codec/natural_key.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/codec/reminder_columns.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_event_log.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

std::string holder_of_natural_key(sqlite_db& db, const task::task_state& state) {
  auto& q = db.prepare("SELECT id FROM tasks WHERE owner_id = ? AND ext_source = ? AND ext_id = ? AND deleted = 0");
  q.bind(1, state.snapshot.owner_id())
      .bind(2, state.snapshot.external_ref().source())
      .bind(3, state.snapshot.external_ref().id());
  return q.step() ? q.column_text(0) : std::string{};
}

// Writes one commit inside the caller's transaction. A version mismatch or a
// taken natural key is reported as a value; other failures throw.
caf::expected<void> write_commit(sqlite_db& db, const ports::task_commit& commit) {
  const auto& next = commit.next;
  auto state_json = to_json(next.snapshot);
  if (commit.expected_version == 0) {
    try {
      db.prepare(
            "INSERT INTO tasks (id, owner_id, version, deleted, ext_source, ext_id, state, "
            "updated_at_ms, remind_at_ms, reminded_kind, reminded_due_at_ms, remind_traceparent) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, next.snapshot.id())
          .bind(2, next.snapshot.owner_id())
          .bind(3, next.snapshot.version())
          .bind(4, std::int64_t{next.deleted})
          .bind_optional(5, natural_key_source(next))
          .bind_optional(6, natural_key_id(next))
          .bind(7, state_json)
          .bind(8, next.snapshot.updated_at_ms())
          .bind_optional(9, commit.remind_at_ms)
          .bind(10, std::int64_t{next.reminded.kind})
          .bind_optional(11, reminded_due_at_of(next))
          .bind(12, commit.traceparent)
          .run();
    } catch (const sqlite_error& e) {
      if (!e.is_constraint())
        throw;
      auto holder = holder_of_natural_key(db, next);
      if (!holder.empty())
        return ports::make_error(store_errc::duplicate_key, holder);
      return ports::make_error(store_errc::conflict, "task " + next.snapshot.id() + " exists");
    }
  } else {
    try {
      db.prepare(
            "UPDATE tasks SET version = ?, deleted = ?, ext_source = ?, ext_id = ?, state = ?, "
            "updated_at_ms = ?, remind_at_ms = ?, reminded_kind = ?, reminded_due_at_ms = ?, remind_traceparent = ? "
            "WHERE id = ? AND version = ?")
          .bind(1, next.snapshot.version())
          .bind(2, std::int64_t{next.deleted})
          .bind_optional(3, natural_key_source(next))
          .bind_optional(4, natural_key_id(next))
          .bind(5, state_json)
          .bind(6, next.snapshot.updated_at_ms())
          .bind_optional(7, commit.remind_at_ms)
          .bind(8, std::int64_t{next.reminded.kind})
          .bind_optional(9, reminded_due_at_of(next))
          .bind(10, commit.traceparent)
          .bind(11, next.snapshot.id())
          .bind(12, commit.expected_version)
          .run();
    } catch (const sqlite_error& e) {
      if (!e.is_constraint())
        throw;
      return ports::make_error(store_errc::duplicate_key, holder_of_natural_key(db, next));
    }
    if (db.changes() != 1)
      return ports::make_error(store_errc::conflict, "task " + next.snapshot.id() + " is no longer at version " +
                                                         std::to_string(commit.expected_version));
  }
  append_events(db, commit.events);
  return caf::unit;
}

}  // namespace

sqlite_task_store::sqlite_task_store(std::shared_ptr<sqlite_pool> pool, commit_observer observer)
    : pool_(std::move(pool)),
      commits_(std::make_unique<commit_queue>(
          1, 256, commit_queue::default_max_waiting, [this](std::vector<queued_commit>& batch) { write_batch(batch); },
          [] {
            try {
              throw;
            } catch (const sqlite_error& e) {
              return to_store_error(e);
            } catch (const std::exception& e) {
              return ports::make_error(store_errc::unavailable, e.what());
            } catch (...) {
              return ports::make_error(store_errc::unavailable, "the batch failed");
            }
          },
          std::move(observer), "sqlite")) {}

caf::expected<std::optional<task::task_state>> sqlite_task_store::load_task(const std::string& id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT state, deleted, reminded_kind, reminded_due_at_ms FROM tasks WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
      return std::optional<task::task_state>{};
    task::task_state state;
    if (auto decoded = from_json(q.column_text(0), state.snapshot); !decoded)
      return decoded.error();
    state.deleted = q.column_int(1) != 0;
    state.reminded = reminder_mark_of(q.column_int(2), q.column_is_null(3) ? 0 : q.column_int(3));
    return std::optional<task::task_state>{std::move(state)};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

void sqlite_task_store::commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) {
  commits_->submit(std::move(commit), std::move(done));
}

// One transaction per batch, so its commits share one WAL sync; each commit
// under its own savepoint, so a failing one is rolled back alone.
void sqlite_task_store::write_batch(std::vector<queued_commit>& batch) {
  auto db = pool_->write();
  sqlite_transaction tx{*db};
  for (auto& entry : batch) {
    db->exec("SAVEPOINT one_commit");
    try {
      entry.result = write_commit(*db, *entry.commit);
    } catch (const sqlite_error& e) {
      entry.result = to_store_error(e);
    }
    if (!entry.result)
      db->exec("ROLLBACK TO one_commit");
    db->exec("RELEASE one_commit");
  }
  tx.commit();
}

}  // namespace taskflow::persistence
