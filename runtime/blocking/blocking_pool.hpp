// The bounded pool that runs the node's blocking calls (store drivers), so
// CAF workers and HTTP I/O threads never wait on I/O. A fixed number of
// threads take jobs in arrival order from one queue with a limit: past it,
// post() refuses and the caller answers "unavailable" at once, which beats
// an unbounded backlog that answers everyone too late.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include "actors/ports/blocking_executor.hpp"

namespace taskflow::runtime {

class blocking_pool final : public ports::blocking_executor {
public:
  // Queue depth and refusals go to the two metrics when given.
  blocking_pool(std::size_t threads, std::size_t max_queued, prometheus::Gauge* queued = nullptr,
                prometheus::Counter* refused = nullptr);
  // Runs what is queued, then joins the threads.
  ~blocking_pool() override;
  blocking_pool(const blocking_pool&) = delete;
  blocking_pool& operator=(const blocking_pool&) = delete;

  [[nodiscard]] bool post(std::function<void()> work) override;

private:
  void run();

  std::size_t max_queued_;
  prometheus::Gauge* queued_metric_;
  prometheus::Counter* refused_metric_;
  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace taskflow::runtime
