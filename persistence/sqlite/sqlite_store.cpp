#include "persistence/sqlite/sqlite_store.hpp"

#include <chrono>
#include <variant>

#include "actors/task/task_status.hpp"
#include "messages/events/event_type.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/natural_key.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/migrations/migration.hpp"
#include "persistence/projection/view_projection.hpp"
#include "persistence/sqlite/sqlite_db.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

void migrate(sqlite_db& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)");
  for (const auto& m : sqlite_migrations()) {
    auto& seen = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
    seen.bind(1, std::int64_t{m.version});
    if (seen.step())
      continue;
    sqlite_transaction tx{db};
    db.exec(std::string{m.sql});
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)")
        .bind(1, std::int64_t{m.version})
        .bind(2, m.name)
        .bind(3, clock::unix_now_ms())
        .run();
    tx.commit();
  }
}

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
            "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, next.snapshot.id())
          .bind(2, next.snapshot.owner_id())
          .bind(3, next.snapshot.version())
          .bind(4, std::int64_t{next.deleted})
          .bind_optional(5, natural_key_source(next))
          .bind_optional(6, natural_key_id(next))
          .bind(7, state_json)
          .bind(8, next.snapshot.updated_at_ms())
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
            "updated_at_ms = ? WHERE id = ? AND version = ?")
          .bind(1, next.snapshot.version())
          .bind(2, std::int64_t{next.deleted})
          .bind_optional(3, natural_key_source(next))
          .bind_optional(4, natural_key_id(next))
          .bind(5, state_json)
          .bind(6, next.snapshot.updated_at_ms())
          .bind(7, next.snapshot.id())
          .bind(8, commit.expected_version)
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

caf::error to_store_error(const sqlite_error& e) {
  if (e.is_busy())
    return ports::make_error(store_errc::timeout, e.what());
  return ports::make_error(store_errc::unavailable, e.what());
}

sqlite_store::lease::lease(sqlite_store& owner, sqlite_db* db) : owner_(owner), db_(db) {}

sqlite_store::lease::~lease() {
  db_->reset_statements();
  {
    std::lock_guard lock{owner_.pool_mutex_};
    owner_.idle_.push_back(db_);
  }
  owner_.pool_cv_.notify_one();
}

caf::expected<std::shared_ptr<sqlite_store>> sqlite_store::open(const std::filesystem::path& file,
                                                                std::size_t connections, commit_observer observer) {
  try {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec)
      return ports::make_error(store_errc::unavailable,
                               "cannot create " + file.parent_path().string() + ": " + ec.message());
    std::vector<std::unique_ptr<sqlite_db>> pool;
    pool.push_back(std::make_unique<sqlite_db>(file));
    migrate(*pool.front());
    for (std::size_t i = 1; i < std::max<std::size_t>(connections, 1); ++i)
      pool.push_back(std::make_unique<sqlite_db>(file));
    auto checkpointer = std::make_unique<sqlite_db>(file);
    return std::shared_ptr<sqlite_store>(
        new sqlite_store(std::move(pool), std::move(checkpointer), std::move(observer)));
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

sqlite_store::sqlite_store(std::vector<std::unique_ptr<sqlite_db>> pool, std::unique_ptr<sqlite_db> checkpointer,
                           commit_observer observer)
    : pool_(std::move(pool)), checkpointer_(std::move(checkpointer)) {
  for (auto& db : pool_)
    idle_.push_back(db.get());
  checkpoint_thread_ = std::thread{[this] { checkpoint_loop(); }};
  commits_ = std::make_unique<commit_queue>(
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
      std::move(observer));
}

sqlite_store::~sqlite_store() {
  {
    std::lock_guard lock{stop_mutex_};
    stopping_ = true;
  }
  stop_cv_.notify_all();
  checkpoint_thread_.join();
}

void sqlite_store::checkpoint_loop() {
  std::unique_lock lock{stop_mutex_};
  while (!stop_cv_.wait_for(lock, std::chrono::seconds{1}, [this] { return stopping_; })) {
    try {
      checkpointer_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (const sqlite_error&) {
      // Busy or transient: the next round (or the autocheckpoint backstop) catches up.
    }
  }
}

sqlite_store::lease sqlite_store::acquire() {
  std::unique_lock lock{pool_mutex_};
  pool_cv_.wait(lock, [this] { return !idle_.empty(); });
  auto* db = idle_.back();
  idle_.pop_back();
  return lease{*this, db};
}

caf::expected<std::optional<task::task_state>> sqlite_store::load_task(const std::string& id) {
  try {
    auto db = acquire();
    auto& q = db->prepare("SELECT state, deleted FROM tasks WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
      return std::optional<task::task_state>{};
    task::task_state state;
    if (auto decoded = from_json(q.column_text(0), state.snapshot); !decoded)
      return decoded.error();
    state.deleted = q.column_int(1) != 0;
    return std::optional<task::task_state>{std::move(state)};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

void sqlite_store::commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) {
  commits_->submit(std::move(commit), std::move(done));
}

// One transaction per batch, so its commits share one WAL sync; each commit
// under its own savepoint, so a failing one is rolled back alone.
void sqlite_store::write_batch(std::vector<queued_commit>& batch) {
  std::lock_guard writer{write_mutex_};
  auto db = acquire();
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

caf::expected<std::vector<ports::outbox_entry>> sqlite_store::fetch_unsent(std::size_t limit) {
  try {
    auto db = acquire();
    auto& q = db->prepare("SELECT seq, payload FROM outbox WHERE sent_at_ms IS NULL ORDER BY seq LIMIT ?");
    q.bind(1, static_cast<std::int64_t>(limit));
    std::vector<ports::outbox_entry> out;
    while (q.step()) {
      ports::outbox_entry entry;
      entry.seq = q.column_int(0);
      if (auto decoded = from_json(q.column_text(1), entry.event); !decoded)
        return decoded.error();
      out.push_back(std::move(entry));
    }
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<void> sqlite_store::mark_sent(const std::vector<std::int64_t>& seqs) {
  try {
    std::lock_guard writer{write_mutex_};
    auto db = acquire();
    sqlite_transaction tx{*db};
    auto sent = clock::unix_now_ms();
    for (auto seq : seqs)
      db->prepare("UPDATE outbox SET sent_at_ms = ? WHERE seq = ?").bind(1, sent).bind(2, seq).run();
    tx.commit();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::int64_t> sqlite_store::backlog() {
  try {
    auto db = acquire();
    auto& q = db->prepare("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL");
    q.step();
    return q.column_int(0);
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::int64_t> sqlite_store::prune_sent(std::int64_t older_than_ms) {
  try {
    std::lock_guard writer{write_mutex_};
    auto db = acquire();
    db->prepare("DELETE FROM outbox WHERE sent_at_ms IS NOT NULL AND sent_at_ms < ?").bind(1, older_than_ms).run();
    return db->changes();
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

namespace {

// Records the event in the consumer's inbox: false when it was there.
bool record_fresh(sqlite_db* db, const std::string& consumer, const messages::EventEnvelope& event, std::int64_t now) {
  db->prepare("INSERT OR IGNORE INTO inbox (consumer, event_id, processed_at_ms) VALUES (?, ?, ?)")
      .bind(1, consumer)
      .bind(2, event.event_id())
      .bind(3, now)
      .run();
  return db->changes() > 0;
}

// Where a task's view stands: its row's version, or its tombstone's.
std::int64_t known_version(sqlite_db* db, const std::string& task_id) {
  auto& current = db->prepare(
      "SELECT MAX(v) FROM (SELECT version AS v FROM task_view WHERE id = ?1 "
      "UNION ALL SELECT version FROM task_view_tombstones WHERE id = ?1)");
  current.bind(1, task_id);
  return current.step() && !current.column_is_null(0) ? current.column_int(0) : 0;
}

void write_view(sqlite_db* db, const view_projection::view_tombstone& tombstone) {
  db->prepare("DELETE FROM task_view WHERE id = ?").bind(1, tombstone.id).run();
  db->prepare("INSERT OR REPLACE INTO task_view_tombstones (id, version) VALUES (?, ?)")
      .bind(1, tombstone.id)
      .bind(2, tombstone.version)
      .run();
}

void write_view(sqlite_db* db, const view_projection::view_row& row) {
  db->prepare(
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
  db->prepare("DELETE FROM task_view_assignees WHERE task_id = ?").bind(1, row.id).run();
  for (const auto& assignee : row.assignees)
    db->prepare("INSERT OR IGNORE INTO task_view_assignees (task_id, assignee_id) VALUES (?, ?)")
        .bind(1, row.id)
        .bind(2, assignee)
        .run();
}

}  // namespace

caf::expected<std::vector<ports::projection_outcome>> sqlite_store::project(
    const std::string& consumer, const std::vector<messages::EventEnvelope>& events) {
  try {
    std::lock_guard writer{write_mutex_};
    auto db = acquire();
    sqlite_transaction tx{*db};
    std::vector<ports::projection_outcome> outcomes;
    std::vector<bool> fresh;
    outcomes.reserve(events.size());
    fresh.reserve(events.size());
    auto now = clock::unix_now_ms();
    for (const auto& event : events) {
      fresh.push_back(record_fresh(&*db, consumer, event, now));
      outcomes.push_back(fresh.back() ? ports::projection_outcome::applied : ports::projection_outcome::duplicate);
    }
    for (const auto& entry : view_projection::newest_by_task(events, fresh)) {
      const auto& event = *entry.second;
      if (auto change = view_projection::change_of(event, known_version(&*db, event.aggregate_id())))
        std::visit([&](const auto& to) { write_view(&*db, to); }, *change);
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

caf::expected<messages::TaskPage> sqlite_store::list_tasks(const messages::ListTasksQuery& query) {
  try {
    auto db = acquire();
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

caf::expected<messages::TaskPage> sqlite_store::list_tasks_keyset(const messages::ListTasksQuery& query) {
  try {
    auto db = acquire();
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

caf::expected<void> sqlite_store::ping() {
  try {
    auto db = acquire();
    auto& q = db->prepare("SELECT 1");
    q.step();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
