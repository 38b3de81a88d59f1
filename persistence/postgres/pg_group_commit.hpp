// Group commit: task commits from many actors queue here, and each committer
// thread writes everything queued at that moment in one transaction, so the
// cost of a WAL flush is shared and throughput grows with concurrency. A
// commit that conflicts must not fail its neighbours: the batch first runs
// optimistically, and if any statement fails it runs again with a savepoint
// around each commit.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <caf/expected.hpp>
#include <pqxx/connection>

#include "actors/ports/task_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_group_commit {
public:
  pg_group_commit(pg_pool& pool, std::size_t committers, std::size_t max_batch);
  ~pg_group_commit();
  pg_group_commit(const pg_group_commit&) = delete;
  pg_group_commit& operator=(const pg_group_commit&) = delete;

  // Blocks until the batch holding this commit is durable or has failed.
  caf::expected<void> submit(const ports::task_commit& commit);

  // Names the prepared statements that every connection of the pool needs.
  static void prepare(pqxx::connection& conn);

private:
  struct request {
    const ports::task_commit* commit;
    std::promise<caf::expected<void>> done;
  };
  void run();
  void write_batch(std::vector<request*>& batch);

  pg_pool& pool_;
  std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<request*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> committers_;
};

}  // namespace taskflow::persistence
