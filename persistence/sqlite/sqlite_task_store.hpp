// task_store on SQLite: a task's row fenced by its version, with its events
// and their outbox rows in the same transaction. Commits are written in
// batches by one writer thread.
#pragma once

#include <memory>

#include "actors/ports/task_store.hpp"
#include "persistence/batching/commit_queue.hpp"

namespace taskflow::persistence {

class sqlite_pool;

class sqlite_task_store final : public ports::task_store {
public:
  sqlite_task_store(std::shared_ptr<sqlite_pool> pool, commit_observer observer);

  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override;
  void commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) override;

private:
  void write_batch(std::vector<queued_commit>& batch);

  std::shared_ptr<sqlite_pool> pool_;
  // Last, so its writer stops before the connections it uses go.
  std::unique_ptr<commit_queue> commits_;
};

}  // namespace taskflow::persistence
