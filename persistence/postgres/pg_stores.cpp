#include "persistence/postgres/pg_stores.hpp"

#include <algorithm>
#include <memory>
#include <thread>

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "messages/time/unix_clock.hpp"
#include "persistence/migrations/migration.hpp"
#include "persistence/postgres/pg_credential_store.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_event_history.hpp"
#include "persistence/postgres/pg_event_log.hpp"
#include "persistence/postgres/pg_group_commit.hpp"
#include "persistence/postgres/pg_idempotency_store.hpp"
#include "persistence/postgres/pg_identity_store.hpp"
#include "persistence/postgres/pg_notification_store.hpp"
#include "persistence/postgres/pg_outbox_store.hpp"
#include "persistence/postgres/pg_pool.hpp"
#include "persistence/postgres/pg_read_model_store.hpp"
#include "persistence/postgres/pg_reminder_store.hpp"
#include "persistence/postgres/pg_task_store.hpp"
#include "persistence/postgres/pg_webhook_store.hpp"

namespace taskflow::persistence {
namespace {

// Any fixed number works; it only has to be the same on every node.
constexpr std::int64_t migration_lock_key = 0x7461736b666c6f77;  // "taskflow"

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

caf::expected<store_ports> open_pg_stores(pg_options options) {
  try {
    auto conninfo = with_connect_timeout(options.conninfo, options.connect_timeout);
    auto timeout = options.statement_timeout;
    auto pool = std::make_shared<pg_pool>(conninfo, options.connections, timeout, [timeout](pqxx::connection& c) {
      set_session(c, timeout);
      pg_task_store::prepare(c);
      pg_outbox_store::prepare(c);
      pg_read_model_store::prepare(c);
      pg_reminder_store::prepare(c);
      // Identity and credential commits append their events.
      pg_event_log::prepare(c);
    });
    // Committers have connections of their own so reads never wait behind them.
    auto commit_pool = std::make_shared<pg_pool>(conninfo, options.committers, timeout, [timeout](pqxx::connection& c) {
      set_session(c, timeout);
      pg_group_commit::prepare(c);
    });
    migrate(*first_connection(*pool, options.startup_wait));
    pool->warm();
    commit_pool->warm();
    store_ports out;
    out.tasks = std::make_shared<pg_task_store>(
        pool, std::make_unique<pg_group_commit>(commit_pool, options.committers, options.max_batch,
                                                std::move(options.observer)));
    out.outbox = std::make_shared<pg_outbox_store>(pool, std::move(options.instance_id), options.claim_lease);
    out.read_model = std::make_shared<pg_read_model_store>(pool);
    out.identities = std::make_shared<pg_identity_store>(pool);
    out.credentials = std::make_shared<pg_credential_store>(pool);
    out.idempotency = std::make_shared<pg_idempotency_store>(pool);
    out.history = std::make_shared<pg_event_history>(pool);
    out.notifications = std::make_shared<pg_notification_store>(pool);
    out.reminders = std::make_shared<pg_reminder_store>(pool);
    out.webhooks = std::make_shared<pg_webhook_store>(pool);
    return out;
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
