// RAII over sqlite3 handles: one connection with a cache of prepared
// statements. Errors surface as sqlite_error, which the adapters convert into
// store_errc values (sqlite_errors.hpp) before anything leaves them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace taskflow::persistence {

class sqlite_error : public std::runtime_error {
public:
  sqlite_error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  bool is_constraint() const;
  bool is_busy() const;

private:
  int code_;
};

class sqlite_statement {
public:
  explicit sqlite_statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  sqlite_statement& bind(int index, std::string_view text);
  sqlite_statement& bind(int index, std::int64_t value);
  sqlite_statement& bind_null(int index);
  sqlite_statement& bind_optional(int index, const std::optional<std::string>& text);
  sqlite_statement& bind_optional(int index, const std::optional<std::int64_t>& value);

  // Advances to the next row; false when done.
  bool step();
  // Runs to completion, for statements without rows.
  void run();

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

  // Called before each use so bindings from the previous use do not leak.
  void reset();

private:
  void check(int rc) const;
  sqlite3_stmt* stmt_;
};

class sqlite_db {
public:
  explicit sqlite_db(const std::filesystem::path& file);
  ~sqlite_db();
  sqlite_db(const sqlite_db&) = delete;
  sqlite_db& operator=(const sqlite_db&) = delete;

  void exec(const std::string& sql);
  // A cached prepared statement, reset and ready to bind.
  sqlite_statement& prepare(const std::string& sql);
  std::int64_t changes() const;
  // Resets every statement still mid-result. A statement that stopped after
  // its first row keeps a read snapshot open; a later write on this
  // connection would then fail at once with SQLITE_BUSY_SNAPSHOT.
  void reset_statements();

private:
  struct statement_deleter {
    void operator()(sqlite3_stmt* stmt) const;
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::pair<std::unique_ptr<sqlite3_stmt, statement_deleter>, sqlite_statement>>
      statements_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when the scope is left without commit().
class sqlite_transaction {
public:
  explicit sqlite_transaction(sqlite_db& db);
  ~sqlite_transaction();
  sqlite_transaction(const sqlite_transaction&) = delete;
  sqlite_transaction& operator=(const sqlite_transaction&) = delete;
  void commit();

private:
  sqlite_db& db_;
  bool done_ = false;
};

}  // namespace taskflow::persistence
