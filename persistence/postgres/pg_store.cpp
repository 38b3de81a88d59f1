#include "persistence/postgres/pg_store.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "actors/task/task_status.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/migrations/migration.hpp"
#include "persistence/postgres/pg_array.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_group_commit.hpp"
#include "persistence/postgres/pg_pool.hpp"
#include "persistence/postgres/pg_projection.hpp"

namespace taskflow::persistence {
namespace {

// Any fixed number works; it only has to be the same on every node.
constexpr std::int64_t migration_lock_key = 0x7461736b666c6f77;  // "taskflow"

void prepare_reads(pqxx::connection& conn) {
  conn.prepare("task_load", "SELECT state, deleted FROM tasks WHERE id = $1");
  // Claims unsent rows for this instance. Rows another instance claimed are
  // skipped until its lease lapses; our own claims come back (a relay that
  // failed to publish retries them). RETURNING has no order: sorted by caller.
  conn.prepare("outbox_claim",
               "UPDATE outbox SET claimed_by = $1, claimed_until_ms = $2 WHERE seq IN ("
               "SELECT seq FROM outbox WHERE sent_at_ms IS NULL AND (claimed_until_ms IS NULL "
               "OR claimed_until_ms < $3 OR claimed_by = $1) ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED) "
               "RETURNING seq, payload");
  conn.prepare("outbox_mark_sent", "UPDATE outbox SET sent_at_ms = $1 WHERE seq = ANY($2::bigint[])");
  conn.prepare("outbox_backlog", "SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL");
  conn.prepare("outbox_prune", "DELETE FROM outbox WHERE sent_at_ms IS NOT NULL AND sent_at_ms < $1");
  // $1 viewer, $2 admin, $3 status or NULL, $4 assignee or NULL.
  const std::string filter =
      " FROM task_view v WHERE ($2::boolean OR v.owner_id = $1 OR EXISTS (SELECT 1 FROM task_view_assignees a "
      "WHERE a.task_id = v.id AND a.assignee_id = $1)) AND ($3::text IS NULL OR v.status = $3) "
      "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM task_view_assignees b WHERE b.task_id = v.id "
      "AND b.assignee_id = $4))";
  conn.prepare("list_count", "SELECT COUNT(*)" + filter);
  conn.prepare("list_page", "SELECT v.task" + filter + " ORDER BY v.created_at_ms DESC, v.id DESC LIMIT $5 OFFSET $6");
  // Keyset paging: $5 whether there is a position, $6/$7 the position. The
  // row comparison walks task_view_newest from there; $8 is one beyond the
  // page, which tells whether another page follows.
  conn.prepare("list_keyset", "SELECT v.task" + filter +
                                  " AND (NOT $5::boolean OR (v.created_at_ms, v.id) < ($6::bigint, $7::text))"
                                  " ORDER BY v.created_at_ms DESC, v.id DESC LIMIT $8");
}

void set_session(pqxx::connection& conn, std::chrono::milliseconds statement_timeout) {
  pqxx::nontransaction session{conn};
  session.exec("SET statement_timeout = " + std::to_string(statement_timeout.count()));
  session.commit();
}

void migrate(pqxx::connection& conn) {
  {
    pqxx::nontransaction lock{conn};
    // Two nodes starting together: the second waits here, then finds every
    // migration applied. The lock is the session's; closing the connection
    // releases it even if we fail half-way.
    lock.exec_params("SELECT pg_advisory_lock($1)", migration_lock_key);
    lock.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)");
    lock.commit();
  }
  for (const auto& m : postgres_migrations()) {
    pqxx::work tx{conn};
    if (!tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", m.version).empty())
      continue;
    tx.exec(std::string{m.sql});
    tx.exec_params("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)", m.version,
                   std::string{m.name}, clock::unix_now_ms());
    tx.commit();
  }
  pqxx::nontransaction unlock{conn};
  unlock.exec_params("SELECT pg_advisory_unlock($1)", migration_lock_key);
  unlock.commit();
}

// Retries with a growing pause until `wait` has passed; the last failure is
// what the caller sees.
std::unique_ptr<pqxx::connection> first_connection(const pg_pool& pool, std::chrono::milliseconds wait) {
  auto until = std::chrono::steady_clock::now() + wait;
  std::chrono::milliseconds pause{100};
  for (;;) {
    try {
      return pool.open_unpooled();
    } catch (const pqxx::broken_connection&) {
      if (std::chrono::steady_clock::now() + pause >= until)
        throw;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds{1000});
  }
}

}  // namespace

caf::expected<std::shared_ptr<pg_store>> pg_store::open(pg_options options) {
  try {
    auto conninfo = with_connect_timeout(options.conninfo, options.connect_timeout);
    auto timeout = options.statement_timeout;
    auto pool = std::make_unique<pg_pool>(conninfo, options.connections, timeout, [timeout](pqxx::connection& c) {
      set_session(c, timeout);
      prepare_reads(c);
      pg_projection::prepare(c);
      // Identity commits append events through the same statement.
      pg_group_commit::prepare(c);
    });
    auto commit_pool = std::make_unique<pg_pool>(conninfo, options.committers, timeout, [timeout](pqxx::connection& c) {
      set_session(c, timeout);
      pg_group_commit::prepare(c);
    });
    migrate(*first_connection(*pool, options.startup_wait));
    pool->warm();
    commit_pool->warm();
    return std::shared_ptr<pg_store>(new pg_store(std::move(options), std::move(pool), std::move(commit_pool)));
  } catch (...) {
    return pg_current_error();
  }
}

pg_store::pg_store(pg_options options, std::unique_ptr<pg_pool> pool, std::unique_ptr<pg_pool> commit_pool)
    : options_(std::move(options)),
      pool_(std::move(pool)),
      commit_pool_(std::move(commit_pool)),
      group_(std::make_unique<pg_group_commit>(*commit_pool_, options_.committers, options_.max_batch,
                                               options_.observer)) {}

pg_store::~pg_store() = default;

caf::expected<std::optional<task::task_state>> pg_store::load_task(const std::string& id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::optional<task::task_state>> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_prepared("task_load", id);
      if (rows.empty())
        return std::optional<task::task_state>{};
      task::task_state state;
      if (auto decoded = from_json(rows[0][0].c_str(), state.snapshot); !decoded)
        return decoded.error();
      state.deleted = rows[0][1].as<bool>();
      return std::optional<task::task_state>{std::move(state)};
    });
  } catch (...) {
    return pg_current_error();
  }
}

void pg_store::commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) {
  group_->submit(std::move(commit), std::move(done));
}

caf::expected<std::vector<ports::outbox_entry>> pg_store::fetch_unsent(std::size_t limit) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<ports::outbox_entry>> {
      pqxx::nontransaction tx{conn};
      auto now = clock::unix_now_ms();
      auto rows = tx.exec_prepared("outbox_claim", options_.instance_id, now + options_.claim_lease.count(), now,
                                   static_cast<std::int64_t>(limit));
      std::vector<ports::outbox_entry> out;
      out.reserve(rows.size());
      for (const auto& row : rows) {
        ports::outbox_entry entry;
        entry.seq = row[0].as<std::int64_t>();
        if (auto decoded = from_json(row[1].c_str(), entry.event); !decoded)
          return decoded.error();
        out.push_back(std::move(entry));
      }
      std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_store::mark_sent(const std::vector<std::int64_t>& seqs) {
  if (seqs.empty())
    return caf::unit;
  try {
    pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      tx.exec_prepared("outbox_mark_sent", clock::unix_now_ms(), pg_array::of(seqs).literal());
    });
    return caf::unit;
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::int64_t> pg_store::backlog() {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return tx.exec_prepared("outbox_backlog")[0][0].as<std::int64_t>();
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::int64_t> pg_store::prune_sent(std::int64_t older_than_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return static_cast<std::int64_t>(tx.exec_prepared("outbox_prune", older_than_ms).affected_rows());
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::vector<ports::projection_outcome>> pg_store::project(
    const std::string& consumer, const std::vector<messages::EventEnvelope>& events) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::work tx{conn};
      auto outcomes = pg_projection::project(tx, consumer, events, clock::unix_now_ms());
      tx.commit();
      return outcomes;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<messages::TaskPage> pg_store::list_tasks(const messages::ListTasksQuery& query) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<messages::TaskPage> {
      pqxx::read_transaction tx{conn};
      std::optional<std::string> status;
      if (query.has_status())
        status = std::string{task::status_name(query.status())};
      std::optional<std::string> assignee;
      if (query.has_assignee_id())
        assignee = query.assignee_id();
      messages::TaskPage page;
      page.set_total(tx.exec_prepared("list_count", query.viewer_id(), query.viewer_is_admin(), status, assignee)[0][0]
                         .as<std::int64_t>());
      auto rows = tx.exec_prepared("list_page", query.viewer_id(), query.viewer_is_admin(), status, assignee,
                                   std::int64_t{query.limit()}, std::int64_t{query.offset()});
      for (const auto& row : rows)
        if (auto decoded = from_json(row[0].c_str(), *page.add_items()); !decoded)
          return decoded.error();
      tx.commit();
      return page;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<messages::TaskPage> pg_store::list_tasks_keyset(const messages::ListTasksQuery& query) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<messages::TaskPage> {
      pqxx::read_transaction tx{conn};
      std::optional<std::string> status;
      if (query.has_status())
        status = std::string{task::status_name(query.status())};
      std::optional<std::string> assignee;
      if (query.has_assignee_id())
        assignee = query.assignee_id();
      const auto& after = query.keyset().after();
      auto rows = tx.exec_prepared("list_keyset", query.viewer_id(), query.viewer_is_admin(), status, assignee,
                                   query.keyset().has_after(), after.created_at_ms(), after.id(),
                                   std::int64_t{query.limit()} + 1);
      messages::TaskPage page;
      for (const auto& row : rows) {
        if (page.items_size() == query.limit()) {
          page.set_has_more(true);
          break;
        }
        if (auto decoded = from_json(row[0].c_str(), *page.add_items()); !decoded)
          return decoded.error();
      }
      tx.commit();
      return page;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_store::ping() {
  try {
    pool_->run([](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      tx.exec("SELECT 1");
    });
    return caf::unit;
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
