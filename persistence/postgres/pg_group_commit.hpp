// PostgreSQL's side of group commit (persistence/batching/commit_queue.hpp):
// a batch is one transaction of multi-row statements — the new tasks in one
// INSERT, the changed ones in one UPDATE, every event with its outbox row in
// one more — so a batch of any size costs three round trips and one WAL
// flush. A version mismatch fails only its own commit (the row is simply
// not written); a statement that fails outright (a natural-key violation,
// a deadlock) makes the batch run again with a savepoint around each commit,
// so the offender fails alone.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include <caf/expected.hpp>
#include <pqxx/connection>

#include "actors/ports/task_store.hpp"
#include "persistence/batching/commit_queue.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_group_commit {
public:
  pg_group_commit(std::shared_ptr<pg_pool> pool, std::size_t committers, std::size_t max_batch,
                  commit_observer observer);

  // Returns at once; `done` runs on a committer thread once the batch
  // holding this commit is durable or has failed.
  void submit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done);

  // Names the prepared statements that every connection of the pool needs.
  static void prepare(pqxx::connection& conn);

private:
  void write_batch(std::vector<queued_commit>& batch);

  std::shared_ptr<pg_pool> pool_;
  std::function<void()> retried_;
  // Last: its writer threads use pool_ until it is destroyed.
  std::unique_ptr<commit_queue> queue_;
};

}  // namespace taskflow::persistence
