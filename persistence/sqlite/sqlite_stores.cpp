#include "persistence/sqlite/sqlite_stores.hpp"

#include <memory>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "messages/time/unix_clock.hpp"
#include "persistence/migrations/migration.hpp"
#include "persistence/sqlite/sqlite_credential_store.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_event_history.hpp"
#include "persistence/sqlite/sqlite_idempotency_store.hpp"
#include "persistence/sqlite/sqlite_identity_store.hpp"
#include "persistence/sqlite/sqlite_notification_store.hpp"
#include "persistence/sqlite/sqlite_outbox_store.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"
#include "persistence/sqlite/sqlite_read_model_store.hpp"
#include "persistence/sqlite/sqlite_reminder_store.hpp"
#include "persistence/sqlite/sqlite_task_store.hpp"
#include "persistence/sqlite/sqlite_webhook_store.hpp"

namespace taskflow::persistence {
namespace {

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

// The store holds password hashes, API key hashes and the token signing key:
// the files are the service user's alone, whatever the umask. A directory we
// create is private too; one that exists is left as it is (it may be shared,
// like /var/lib), the files inside are what must not be readable.
std::error_code make_private(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto dir = file.parent_path();
  if (!dir.empty() && !fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec)
      return ec;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec)
      return ec;
  }
  // Created here with 0600, SQLite gives its -wal and -shm files the same mode.
  if (int fd = ::open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600); fd >= 0)
    ::close(fd);
  for (const auto* suffix : {"", "-wal", "-shm", "-journal"}) {
    auto path = fs::path{file.string() + suffix};
    if (fs::exists(path, ec))
      fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    if (ec)
      return ec;
  }
  return {};
}

}  // namespace

caf::expected<store_ports> open_sqlite_stores(const std::filesystem::path& file, std::size_t connections,
                                              commit_observer observer) {
  try {
    if (auto ec = make_private(file))
      return ports::make_error(ports::store_errc::unavailable,
                               "cannot make " + file.string() + " private: " + ec.message());
    auto pool = std::make_shared<sqlite_pool>(file, connections);
    migrate(*pool->write());
    store_ports out;
    out.tasks = std::make_shared<sqlite_task_store>(pool, std::move(observer));
    out.outbox = std::make_shared<sqlite_outbox_store>(pool);
    out.read_model = std::make_shared<sqlite_read_model_store>(pool);
    out.identities = std::make_shared<sqlite_identity_store>(pool);
    out.credentials = std::make_shared<sqlite_credential_store>(pool);
    out.idempotency = std::make_shared<sqlite_idempotency_store>(pool);
    out.history = std::make_shared<sqlite_event_history>(pool);
    out.notifications = std::make_shared<sqlite_notification_store>(pool);
    out.reminders = std::make_shared<sqlite_reminder_store>(pool);
    out.webhooks = std::make_shared<sqlite_webhook_store>(pool);
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
