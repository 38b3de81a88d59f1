// The embedded store: task state, events, outbox, inbox and read model in one
// SQLite file (WAL). Implements every store port for a single node.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/ports/outbox_store.hpp"
#include "actors/ports/read_model_store.hpp"
#include "actors/ports/task_store.hpp"

namespace taskflow::persistence {

class sqlite_db;

class sqlite_store final : public ports::task_store, public ports::outbox_store, public ports::read_model_store {
public:
  // Opens (creating if needed) the database file and applies pending migrations.
  static caf::expected<std::shared_ptr<sqlite_store>> open(const std::filesystem::path& file,
                                                           std::size_t connections = 4);
  ~sqlite_store() override;

  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override;
  caf::expected<void> commit(const ports::task_commit& commit) override;

  caf::expected<std::vector<ports::outbox_entry>> fetch_unsent(std::size_t limit) override;
  caf::expected<void> mark_sent(const std::vector<std::int64_t>& seqs) override;
  caf::expected<std::int64_t> backlog() override;
  caf::expected<std::int64_t> prune_sent(std::int64_t older_than_ms) override;

  caf::expected<std::vector<ports::projection_outcome>> project(
      const std::string& consumer, const std::vector<messages::EventEnvelope>& events) override;
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) override;
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) override;
  caf::expected<void> ping() override;

  // Runs `work` on a pooled connection, as the single writer when `writer`.
  // Adapters of further ports that live in this file (idempotency keys) share
  // the pool and the writer lock through it; sqlite_error escapes to them.
  void with_connection(bool writer, const std::function<void(sqlite_db&)>& work);

private:
  class lease;
  sqlite_store(std::vector<std::unique_ptr<sqlite_db>> pool, std::unique_ptr<sqlite_db> checkpointer);
  lease acquire();
  void checkpoint_loop();

  // SQLite has one writer at a time; serializing writers here avoids
  // busy-waiting inside SQLite and keeps write latency predictable.
  std::mutex write_mutex_;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<sqlite_db>> pool_;
  std::vector<sqlite_db*> idle_;

  // Copies the WAL back into the database once a second, off the request
  // path, on a connection of its own. A passive checkpoint never blocks
  // readers or the writer.
  std::unique_ptr<sqlite_db> checkpointer_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread checkpoint_thread_;
};

}  // namespace taskflow::persistence
