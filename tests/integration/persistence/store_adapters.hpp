// The adapters the store cases run against, each opened fresh: SQLite in a
// new file, and PostgreSQL in a new database on a real server that
// tools/stack/stack starts for the run.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "persistence/postgres/pg_stores.hpp"
#include "persistence/sqlite/sqlite_stores.hpp"
#include "tests/integration/persistence/task_commits.hpp"
#include "tests/support/test_stack.hpp"

namespace taskflow::testing {

inline const std::string owner = "01a20f1d-0000-7000-8000-000000000001";

struct store_adapter {
  std::shared_ptr<ports::task_store> tasks;
  std::shared_ptr<ports::outbox_store> outbox;
  std::shared_ptr<ports::read_model_store> reads;
  std::shared_ptr<ports::notification_store> notifications;
  std::shared_ptr<ports::reminder_store> reminders;
  std::shared_ptr<ports::webhook_store> webhooks;
  std::shared_ptr<ports::credential_store> credentials;
  std::function<store_adapter()> reopen;  // the same data through a new instance, as after a restart
};

// The stores the contracts exercise, out of what a backend opened.
inline store_adapter adapter_of(const persistence::store_ports& s, std::function<store_adapter()> reopen) {
  return {s.tasks, s.outbox, s.read_model, s.notifications, s.reminders, s.webhooks, s.credentials, std::move(reopen)};
}

inline store_adapter open_sqlite_adapter(const std::filesystem::path& file) {
  auto stores = persistence::open_sqlite_stores(file);
  REQUIRE(stores);
  return adapter_of(*stores, [file] { return open_sqlite_adapter(file); });
}

inline store_adapter open_postgres_adapter(const std::string& url) {
  persistence::pg_options options;
  options.conninfo = url;
  auto stores = persistence::open_pg_stores(options);
  if (!stores)
    FAIL(ports::error_text(stores.error()));
  return adapter_of(*stores, [url] { return open_postgres_adapter(url); });
}

inline std::vector<std::pair<std::string, std::function<store_adapter()>>> store_adapters() {
  static std::atomic<int> counter{0};
  return {{"sqlite",
           [] {
             auto dir = std::filesystem::temp_directory_path() /
                        ("taskflow-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
             std::filesystem::remove_all(dir);
             return open_sqlite_adapter(dir / "taskflow.db");
           }},
          {"postgres", [] {
             return open_postgres_adapter(test_stack::shared().create_database(
                 "contract_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)));
           }}};
}

inline messages::TaskCommand create_cmd(const std::string& id, const std::string& who = owner,
                                        std::optional<std::pair<std::string, std::string>> ext = {}) {
  messages::TaskCommand cmd;
  cmd.set_task_id(id);
  cmd.mutable_principal()->set_id(who);
  cmd.mutable_create()->set_title("title of " + id);
  if (ext) {
    cmd.mutable_create()->mutable_external_ref()->set_source(ext->first);
    cmd.mutable_create()->mutable_external_ref()->set_id(ext->second);
  }
  return cmd;
}

inline task::task_state create(store_adapter& a, const std::string& id, std::int64_t now = 1000,
                               const std::string& who = owner) {
  task::task_state fresh;
  fresh.snapshot.set_id(id);
  auto commit = commit_for(fresh, create_cmd(id, who), now);
  REQUIRE(commit_and_wait(*a.tasks, commit));
  return commit.next;
}

}  // namespace taskflow::testing
