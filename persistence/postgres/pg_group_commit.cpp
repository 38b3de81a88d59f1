#include "persistence/postgres/pg_group_commit.hpp"

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/transaction>

#include "messages/events/event_type.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/natural_key.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

caf::error conflict(const ports::task_commit& commit) {
  const auto& id = commit.next.snapshot.id();
  if (commit.expected_version == 0)
    return ports::make_error(store_errc::conflict, "task " + id + " exists");
  return ports::make_error(store_errc::conflict,
                           "task " + id + " is no longer at version " + std::to_string(commit.expected_version));
}

// Writes one commit inside `tx`. A version mismatch writes nothing and is
// reported as a value; a violated constraint throws.
caf::expected<void> write_one(pqxx::transaction_base& tx, const ports::task_commit& commit, std::int64_t now) {
  const auto& next = commit.next;
  const auto& snap = next.snapshot;
  auto state = to_json(snap);
  auto written = commit.expected_version == 0
                     ? tx.exec_prepared("task_insert", snap.id(), snap.owner_id(), snap.version(), next.deleted,
                                        natural_key_source(next), natural_key_id(next), state, snap.updated_at_ms())
                     : tx.exec_prepared("task_update", snap.id(), commit.expected_version, snap.version(), next.deleted,
                                        natural_key_source(next), natural_key_id(next), state, snap.updated_at_ms());
  if (written.affected_rows() != 1)
    return conflict(commit);
  for (const auto& event : commit.events)
    tx.exec_prepared("event_insert", event.event_id(), event.aggregate_type(), event.aggregate_id(), event.version(),
                     std::string{messages::event_type(event)}, event.occurred_at_ms(), to_json(event), now);
  return caf::unit;
}

// After a unique violation: whose natural key was it?
caf::error classify_violation(pqxx::transaction_base& tx, const ports::task_commit& commit) {
  auto source = natural_key_source(commit.next);
  auto id = natural_key_id(commit.next);
  if (source && id) {
    auto holder = tx.exec_prepared("natural_key_holder", commit.next.snapshot.owner_id(), *source, *id);
    if (!holder.empty() && holder[0][0].c_str() != commit.next.snapshot.id())
      return ports::make_error(store_errc::duplicate_key, holder[0][0].c_str());
  }
  return conflict(commit);
}

}  // namespace

void pg_group_commit::prepare(pqxx::connection& conn) {
  conn.prepare("task_insert",
               "INSERT INTO tasks (id, owner_id, version, deleted, ext_source, ext_id, state, updated_at_ms) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING");
  conn.prepare("task_update",
               "UPDATE tasks SET version = $3, deleted = $4, ext_source = $5, ext_id = $6, state = $7, "
               "updated_at_ms = $8 WHERE id = $1 AND version = $2");
  // The event and its outbox row in one round trip.
  conn.prepare("event_insert",
               "WITH e AS (INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, "
               "occurred_at_ms, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)) "
               "INSERT INTO outbox (event_id, payload, created_at_ms) VALUES ($1, $7, $8)");
  conn.prepare("natural_key_holder",
               "SELECT id FROM tasks WHERE owner_id = $1 AND ext_source = $2 AND ext_id = $3 AND NOT deleted");
}

pg_group_commit::pg_group_commit(pg_pool& pool, std::size_t committers, std::size_t max_batch)
    : pool_(pool), max_batch_(std::max<std::size_t>(max_batch, 1)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(committers, 1); ++i)
    committers_.emplace_back([this] { run(); });
}

pg_group_commit::~pg_group_commit() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : committers_)
    t.join();
}

caf::expected<void> pg_group_commit::submit(const ports::task_commit& commit) {
  request req{&commit, {}};
  auto result = req.done.get_future();
  {
    std::lock_guard lock{mutex_};
    if (stopping_)
      return ports::make_error(store_errc::unavailable, "the store is shutting down");
    queue_.push_back(&req);
  }
  work_cv_.notify_one();
  return result.get();
}

void pg_group_commit::run() {
  std::unique_lock lock{mutex_};
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    // Stopping drains the queue first: every submitter gets an answer.
    if (queue_.empty())
      return;
    std::vector<request*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    write_batch(batch);
    lock.lock();
  }
}

void pg_group_commit::write_batch(std::vector<request*>& batch) {
  std::vector<caf::expected<void>> results(batch.size(), caf::unit);
  auto now = clock::unix_now_ms();
  // Optimistic pass: no savepoints. False when a statement failed, which
  // aborts the whole transaction in PostgreSQL.
  auto plain = [&](pqxx::connection& conn) {
    pqxx::work tx{conn};
    try {
      for (std::size_t i = 0; i < batch.size(); ++i)
        results[i] = write_one(tx, *batch[i]->commit, now);
    } catch (const pqxx::sql_error&) {
      return false;
    }
    tx.commit();
    return true;
  };
  // Careful pass: each commit under its own savepoint, so a failing one is
  // rolled back alone.
  auto isolated = [&](pqxx::connection& conn) {
    pqxx::work tx{conn};
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto& commit = *batch[i]->commit;
      tx.exec("SAVEPOINT one_commit");
      bool violated = false;
      try {
        results[i] = write_one(tx, commit, now);
      } catch (const pqxx::unique_violation&) {
        violated = true;
      } catch (const pqxx::sql_error&) {
        results[i] = pg_current_error();
      }
      if (results[i] && !violated) {
        tx.exec("RELEASE SAVEPOINT one_commit");
        continue;
      }
      tx.exec("ROLLBACK TO SAVEPOINT one_commit");
      if (violated)
        results[i] = classify_violation(tx, commit);
    }
    tx.commit();
  };
  try {
    pool_.run([&](pqxx::connection& conn) {
      if (!plain(conn))
        isolated(conn);
    });
  } catch (...) {
    auto error = pg_current_error();
    // A duplicate_key here would blame every commit for one; the careful
    // pass owns that classification, so anything reaching this point is the
    // batch failing as a whole.
    if (ports::is(error, store_errc::duplicate_key))
      error = ports::make_error(store_errc::unavailable, ports::error_detail(error));
    for (auto& r : results)
      r = error;
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    batch[i]->done.set_value(std::move(results[i]));
}

}  // namespace taskflow::persistence
