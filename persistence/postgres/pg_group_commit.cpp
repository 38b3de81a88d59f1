#include "persistence/postgres/pg_group_commit.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "messages/events/event_type.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/natural_key.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/codec/reminder_columns.hpp"
#include "persistence/postgres/pg_array.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_event_log.hpp"
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

// The columns of one multi-row statement, filled commit by commit.
struct task_rows {
  pg_array id, owner, expected, version, deleted, ext_source, ext_id, state, updated_at, remind_at, reminded_kind,
      reminded_due_at, remind_traceparent;

  void add(const ports::task_commit& commit) {
    const auto& next = commit.next;
    const auto& snap = next.snapshot;
    id.add(std::string_view{snap.id()});
    owner.add(std::string_view{snap.owner_id()});
    expected.add(commit.expected_version);
    version.add(static_cast<std::int64_t>(snap.version()));
    deleted.add(next.deleted);
    ext_source.add(natural_key_source(next));
    ext_id.add(natural_key_id(next));
    state.add(std::string_view{to_json(snap)});
    updated_at.add(static_cast<std::int64_t>(snap.updated_at_ms()));
    remind_at.add(commit.remind_at_ms);
    reminded_kind.add(std::int64_t{next.reminded.kind});
    reminded_due_at.add(reminded_due_at_of(next));
    remind_traceparent.add(std::string_view{commit.traceparent});
  }
};

struct event_rows {
  pg_array event_id, aggregate_type, aggregate_id, version, event_type, occurred_at, payload;

  void add(const messages::EventEnvelope& event) {
    event_id.add(std::string_view{event.event_id()});
    aggregate_type.add(std::string_view{event.aggregate_type()});
    aggregate_id.add(std::string_view{event.aggregate_id()});
    version.add(static_cast<std::int64_t>(event.version()));
    event_type.add(messages::event_type(event));
    occurred_at.add(static_cast<std::int64_t>(event.occurred_at_ms()));
    payload.add(std::string_view{to_json(event)});
  }
};

std::unordered_set<std::string> written_ids(const pqxx::result& rows) {
  std::unordered_set<std::string> out;
  for (const auto& row : rows)
    out.emplace(row[0].c_str());
  return out;
}

// Splits a batch (by index) into rounds in which each task appears once, in
// submission order: two commits of one task (its old and new activation
// during a handoff) then apply one after the other, as they would alone.
// Each round is sorted by id, so concurrent batches lock rows in one order.
std::vector<std::vector<std::size_t>> rounds_of(const std::vector<queued_commit>& batch) {
  std::vector<std::vector<std::size_t>> rounds;
  std::vector<std::unordered_set<std::string_view>> ids;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::string_view id = batch[i].commit->next.snapshot.id();
    std::size_t r = 0;
    for (std::size_t k = 0; k < ids.size(); ++k)
      if (ids[k].count(id) > 0)
        r = k + 1;
    if (r == rounds.size()) {
      rounds.emplace_back();
      ids.emplace_back();
    }
    rounds[r].push_back(i);
    ids[r].insert(id);
  }
  for (auto& round : rounds)
    std::sort(round.begin(), round.end(), [&](std::size_t a, std::size_t b) {
      return batch[a].commit->next.snapshot.id() < batch[b].commit->next.snapshot.id();
    });
  return rounds;
}

// The optimistic pass: the whole batch in a few multi-row statements. Throws
// when one fails, which aborts the transaction.
void write_together(pqxx::transaction_base& tx, std::vector<queued_commit>& batch, std::int64_t now) {
  event_rows events;
  for (const auto& round : rounds_of(batch)) {
    task_rows inserts;
    task_rows updates;
    for (auto i : round)
      (batch[i].commit->expected_version == 0 ? inserts : updates).add(*batch[i].commit);
    std::unordered_set<std::string> inserted;
    std::unordered_set<std::string> updated;
    if (inserts.id.size() > 0)
      inserted = written_ids(tx.exec_prepared(
          "task_insert_many", inserts.id.literal(), inserts.owner.literal(), inserts.version.literal(),
          inserts.deleted.literal(), inserts.ext_source.literal(), inserts.ext_id.literal(), inserts.state.literal(),
          inserts.updated_at.literal(), inserts.remind_at.literal(), inserts.reminded_kind.literal(),
          inserts.reminded_due_at.literal(), inserts.remind_traceparent.literal()));
    if (updates.id.size() > 0)
      updated = written_ids(tx.exec_prepared(
          "task_update_many", updates.id.literal(), updates.expected.literal(), updates.version.literal(),
          updates.deleted.literal(), updates.ext_source.literal(), updates.ext_id.literal(), updates.state.literal(),
          updates.updated_at.literal(), updates.remind_at.literal(), updates.reminded_kind.literal(),
          updates.reminded_due_at.literal(), updates.remind_traceparent.literal()));
    for (auto i : round) {
      const auto& commit = *batch[i].commit;
      const auto& written = commit.expected_version == 0 ? inserted : updated;
      if (written.count(commit.next.snapshot.id()) == 0) {
        batch[i].result = conflict(commit);
        continue;
      }
      for (const auto& event : commit.events)
        events.add(event);
    }
  }
  if (events.event_id.size() > 0)
    tx.exec_prepared("event_insert_many", events.event_id.literal(), events.aggregate_type.literal(),
                     events.aggregate_id.literal(), events.version.literal(), events.event_type.literal(),
                     events.occurred_at.literal(), events.payload.literal(), now);
}

// Writes one commit with single-row statements. A version mismatch writes
// nothing and is reported as a value; a violated constraint throws.
caf::expected<void> write_one(pqxx::transaction_base& tx, const ports::task_commit& commit, std::int64_t now) {
  const auto& next = commit.next;
  const auto& snap = next.snapshot;
  auto state = to_json(snap);
  auto written = commit.expected_version == 0
                     ? tx.exec_prepared("task_insert", snap.id(), snap.owner_id(), snap.version(), next.deleted,
                                        natural_key_source(next), natural_key_id(next), state, snap.updated_at_ms(),
                                        commit.remind_at_ms, static_cast<int>(next.reminded.kind),
                                        reminded_due_at_of(next), commit.traceparent)
                     : tx.exec_prepared("task_update", snap.id(), commit.expected_version, snap.version(), next.deleted,
                                        natural_key_source(next), natural_key_id(next), state, snap.updated_at_ms(),
                                        commit.remind_at_ms, static_cast<int>(next.reminded.kind),
                                        reminded_due_at_of(next), commit.traceparent);
  if (written.affected_rows() != 1)
    return conflict(commit);
  pg_event_log::append(tx, commit.events, now);
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

// The careful pass: each commit under its own savepoint, in submission
// order, so a failing one is rolled back alone.
void write_isolated(pqxx::transaction_base& tx, std::vector<queued_commit>& batch, std::int64_t now) {
  for (auto& entry : batch) {
    const auto& commit = *entry.commit;
    tx.exec("SAVEPOINT one_commit");
    bool violated = false;
    try {
      entry.result = write_one(tx, commit, now);
    } catch (const pqxx::unique_violation&) {
      violated = true;
    } catch (const pqxx::sql_error&) {
      entry.result = pg_current_error();
    }
    if (entry.result && !violated) {
      tx.exec("RELEASE SAVEPOINT one_commit");
      continue;
    }
    tx.exec("ROLLBACK TO SAVEPOINT one_commit");
    if (violated)
      entry.result = classify_violation(tx, commit);
  }
}

}  // namespace

void pg_group_commit::prepare(pqxx::connection& conn) {
  conn.prepare("task_insert_many",
               "INSERT INTO tasks (id, owner_id, version, deleted, ext_source, ext_id, state, updated_at_ms, "
               "remind_at_ms, reminded_kind, reminded_due_at_ms, remind_traceparent) "
               "SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::boolean[], $5::text[], $6::text[], "
               "$7::text[], $8::bigint[], $9::bigint[], $10::integer[], $11::bigint[], $12::text[]) "
               "ON CONFLICT (id) DO NOTHING RETURNING id");
  conn.prepare("task_update_many",
               "UPDATE tasks AS t SET version = u.version, deleted = u.deleted, ext_source = u.ext_source, "
               "ext_id = u.ext_id, state = u.state, updated_at_ms = u.updated_at_ms, remind_at_ms = u.remind_at_ms, "
               "reminded_kind = u.reminded_kind, reminded_due_at_ms = u.reminded_due_at_ms, "
               "remind_traceparent = u.remind_traceparent "
               "FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::boolean[], $5::text[], $6::text[], "
               "$7::text[], $8::bigint[], $9::bigint[], $10::integer[], $11::bigint[], $12::text[]) AS u(id, expected, "
               "version, deleted, ext_source, ext_id, state, updated_at_ms, remind_at_ms, reminded_kind, "
               "reminded_due_at_ms, remind_traceparent) "
               "WHERE t.id = u.id AND t.version = u.expected RETURNING t.id");
  // unnest keeps the arrays' order, so outbox rows follow the commits'.
  conn.prepare("event_insert_many",
               "WITH e AS (INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, "
               "occurred_at_ms, payload) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], "
               "$5::text[], $6::bigint[], $7::text[])) "
               "INSERT INTO outbox (event_id, payload, created_at_ms) "
               "SELECT x.event_id, x.payload, $8 FROM unnest($1::text[], $7::text[]) AS x(event_id, payload)");
  conn.prepare("task_insert",
               "INSERT INTO tasks (id, owner_id, version, deleted, ext_source, ext_id, state, updated_at_ms, "
               "remind_at_ms, reminded_kind, reminded_due_at_ms, remind_traceparent) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING");
  conn.prepare("task_update",
               "UPDATE tasks SET version = $3, deleted = $4, ext_source = $5, ext_id = $6, state = $7, "
               "updated_at_ms = $8, remind_at_ms = $9, reminded_kind = $10, reminded_due_at_ms = $11, "
               "remind_traceparent = $12 WHERE id = $1 AND version = $2");
  conn.prepare("natural_key_holder",
               "SELECT id FROM tasks WHERE owner_id = $1 AND ext_source = $2 AND ext_id = $3 AND NOT deleted");
  pg_event_log::prepare(conn);
}

pg_group_commit::pg_group_commit(std::shared_ptr<pg_pool> pool, std::size_t committers, std::size_t max_batch,
                                 commit_observer observer)
    : pool_(std::move(pool)),
      retried_(observer.batch_retried),
      queue_(std::make_unique<commit_queue>(
          committers, max_batch, commit_queue::default_max_waiting,
          [this](std::vector<queued_commit>& batch) { write_batch(batch); },
          [] {
            auto error = pg_current_error();
            // A duplicate_key here would blame every commit for one; the
            // careful pass owns that classification, so anything reaching
            // this point is the batch failing as a whole.
            if (ports::is(error, store_errc::duplicate_key))
              return ports::make_error(store_errc::unavailable, ports::error_detail(error));
            return error;
          },
          std::move(observer), "postgresql")) {}

void pg_group_commit::submit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) {
  queue_->submit(std::move(commit), std::move(done));
}

void pg_group_commit::write_batch(std::vector<queued_commit>& batch) {
  auto now = clock::unix_now_ms();
  pool_->run([&](pqxx::connection& conn) {
    for (auto& entry : batch)
      entry.result = caf::unit;
    {
      pqxx::work tx{conn};
      try {
        write_together(tx, batch, now);
        tx.commit();
        return;
      } catch (const pqxx::sql_error&) {
        // Aborted: nothing of the batch was written.
      }
    }
    if (retried_)
      retried_();
    for (auto& entry : batch)
      entry.result = caf::unit;
    pqxx::work tx{conn};
    write_isolated(tx, batch, now);
    tx.commit();
  });
}

}  // namespace taskflow::persistence
