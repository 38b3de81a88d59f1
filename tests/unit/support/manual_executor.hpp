// A blocking_executor whose jobs wait until the test runs them, one at a
// time on the test's own thread: a test of an actor's blocking work steps
// it job by job and sees exactly what each job did, with no other thread
// touching the fakes the jobs call.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

#include "actors/ports/blocking_executor.hpp"

namespace taskflow::testing {

class manual_executor final : public ports::blocking_executor {
public:
  bool post(std::function<void()> work) override {
    {
      std::lock_guard lock{mutex_};
      jobs_.push_back(std::move(work));
    }
    posted_.notify_all();
    return true;
  }

  // Runs the oldest job, waiting up to `limit` for one to be posted; false
  // when none came.
  bool run_next(std::chrono::milliseconds limit = std::chrono::seconds{5}) {
    std::function<void()> job;
    {
      std::unique_lock lock{mutex_};
      if (!posted_.wait_for(lock, limit, [this] { return !jobs_.empty(); }))
        return false;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
    return true;
  }

  // Drops the jobs never run (they may hold actor handles, which must go
  // before the actor system does).
  void discard() {
    std::lock_guard lock{mutex_};
    jobs_.clear();
  }

private:
  std::mutex mutex_;
  std::condition_variable posted_;
  std::deque<std::function<void()>> jobs_;
};

}  // namespace taskflow::testing
