#include "persistence/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include "actors/ports/thread_role.hpp"

namespace taskflow::persistence {

bool sqlite_error::is_constraint() const {
  return (code_ & 0xFF) == SQLITE_CONSTRAINT;
}

bool sqlite_error::is_busy() const {
  return (code_ & 0xFF) == SQLITE_BUSY || (code_ & 0xFF) == SQLITE_LOCKED;
}

void sqlite_statement::check(int rc) const {
  if (rc != SQLITE_OK)
    throw sqlite_error(rc, sqlite3_errmsg(sqlite3_db_handle(stmt_)));
}

sqlite_statement& sqlite_statement::bind(int index, std::string_view text) {
  check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
  return *this;
}

sqlite_statement& sqlite_statement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

sqlite_statement& sqlite_statement::bind_null(int index) {
  check(sqlite3_bind_null(stmt_, index));
  return *this;
}

sqlite_statement& sqlite_statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view{*text}) : bind_null(index);
}

sqlite_statement& sqlite_statement::bind_optional(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

bool sqlite_statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  int extended = sqlite3_extended_errcode(sqlite3_db_handle(stmt_));
  std::string message = sqlite3_errmsg(sqlite3_db_handle(stmt_));
  sqlite3_reset(stmt_);
  throw sqlite_error(extended, message);
}

void sqlite_statement::run() {
  while (step()) {
  }
}

std::int64_t sqlite_statement::column_int(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

std::string sqlite_statement::column_text(int index) const {
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))) : std::string{};
}

bool sqlite_statement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

void sqlite_statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void sqlite_db::statement_deleter::operator()(sqlite3_stmt* stmt) const {
  sqlite3_finalize(stmt);
}

sqlite_db::sqlite_db(const std::filesystem::path& file) {
  int rc =
      sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw sqlite_error(rc, "cannot open " + file.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_extended_result_codes(db_, 1);
  // WAL lets readers run beside the writer. synchronous=NORMAL in WAL mode
  // keeps every committed transaction across a process crash (kill -9); only
  // an OS crash or power loss can drop the last commits.
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  // sqlite_pool checkpoints from a background thread; this threshold
  // (about 40 MB of WAL) is only the backstop should that thread fall behind,
  // so a request's commit rarely pays for a checkpoint.
  exec("PRAGMA wal_autocheckpoint=10000");
  exec("PRAGMA foreign_keys=ON");
}

sqlite_db::~sqlite_db() {
  statements_.clear();
  sqlite3_close(db_);
}

void sqlite_db::exec(const std::string& sql) {
  ports::expect_blocking_allowed("SQLite");
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw sqlite_error(sqlite3_extended_errcode(db_), message);
  }
}

sqlite_statement& sqlite_db::prepare(const std::string& sql) {
  ports::expect_blocking_allowed("SQLite");
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc =
        sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK)
      throw sqlite_error(rc, std::string{"cannot prepare: "} + sqlite3_errmsg(db_));
    std::unique_ptr<sqlite3_stmt, statement_deleter> owned{raw};
    it = statements_.emplace(sql, std::make_pair(std::move(owned), sqlite_statement{raw})).first;
  }
  auto& statement = it->second.second;
  statement.reset();
  return statement;
}

void sqlite_db::reset_statements() {
  for (sqlite3_stmt* stmt = sqlite3_next_stmt(db_, nullptr); stmt; stmt = sqlite3_next_stmt(db_, stmt))
    if (sqlite3_stmt_busy(stmt))
      sqlite3_reset(stmt);
}

std::int64_t sqlite_db::changes() const {
  return sqlite3_changes(db_);
}

sqlite_transaction::sqlite_transaction(sqlite_db& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

sqlite_transaction::~sqlite_transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (const sqlite_error&) {
      // The transaction is already gone (e.g. SQLite rolled back on error).
    }
  }
}

void sqlite_transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace taskflow::persistence
