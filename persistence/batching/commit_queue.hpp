// Group commit: task commits from many actors queue here, and each writer
// thread takes everything queued at that moment (up to max_batch) and writes
// it as one transaction, so the cost of a WAL flush (or an fsync) is shared
// and throughput grows with concurrency. A batch is as large as the load
// makes it: a lone commit on an idle node is written at once, with no pause
// to wait for company. The store decides how a batch is written; a commit
// that fails must fail alone.
//
// Submitting never waits: the submitter (an actor, on its scheduler thread)
// hands over the commit with what to do once it is written, so the number
// of commits in flight is bounded by the load, not by a thread pool.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/task_store.hpp"
#include "messages/trace/span.hpp"

namespace taskflow::persistence {

// What a node reports about its batches (metrics); each optional.
struct commit_observer {
  std::function<void(std::size_t commits)> batch_written;
  // From submission to the batch's outcome, per commit.
  std::function<void(double seconds)> commit_waited;
  // A batch written again commit by commit after one of them failed it.
  std::function<void()> batch_retried;
};

struct queued_commit {
  const ports::task_commit* commit;
  caf::expected<void> result = caf::unit;  // set by the batch writer
};

class commit_queue {
public:
  // Writes a batch and sets each entry's result; anything it throws fails
  // the whole batch with the store's error for it (`failure`).
  using batch_writer = std::function<void(std::vector<queued_commit>& batch)>;
  using failure_mapper = std::function<caf::error()>;

  // Each task actor has at most one commit in flight, so this many waiting
  // means the database has fallen far behind: refusing more at once (503)
  // beats a queue that outgrows memory.
  static constexpr std::size_t default_max_waiting = 10'000;

  // `db_system` names the database in spans (OpenTelemetry's db.system).
  commit_queue(std::size_t writers, std::size_t max_batch, std::size_t max_waiting, batch_writer write,
               failure_mapper failure, commit_observer observer, std::string db_system = {});
  // Writes what is queued, then stops: every submitter gets an answer.
  ~commit_queue();
  commit_queue(const commit_queue&) = delete;
  commit_queue& operator=(const commit_queue&) = delete;

  // Queues the commit and returns: `done` runs on a writer thread once the
  // batch holding it is durable or has failed (at once, on the caller's
  // thread, with store_errc::unavailable when the queue is full or
  // stopping).
  void submit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done);

private:
  struct request {
    std::shared_ptr<const ports::task_commit> commit;
    ports::commit_done done;
    std::chrono::steady_clock::time_point queued;
    // Recording only when the commit's trace is sampled.
    trace::span span{};
  };
  void run();
  void write(std::vector<request>& batch);

  std::size_t max_batch_;
  std::size_t max_waiting_;
  batch_writer write_;
  failure_mapper failure_;
  commit_observer observer_;
  std::string db_system_;
  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<request> queue_;
  bool stopping_ = false;
  std::vector<std::thread> writers_;
};

}  // namespace taskflow::persistence
