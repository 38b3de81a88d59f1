#include "runtime/blocking/blocking_pool.hpp"

#include <algorithm>

namespace taskflow::runtime {

blocking_pool::blocking_pool(std::size_t threads, std::size_t max_queued, prometheus::Gauge* queued,
                             prometheus::Counter* refused)
    : max_queued_(max_queued), queued_metric_(queued), refused_metric_(refused) {
  threads = std::max<std::size_t>(1, threads);
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { run(); });
}

blocking_pool::~blocking_pool() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& thread : threads_)
    thread.join();
}

bool blocking_pool::post(std::function<void()> work) {
  {
    std::lock_guard lock{mutex_};
    if (stopping_ || queue_.size() >= max_queued_) {
      if (refused_metric_)
        refused_metric_->Increment();
      return false;
    }
    queue_.push_back(std::move(work));
    if (queued_metric_)
      queued_metric_->Set(static_cast<double>(queue_.size()));
  }
  work_cv_.notify_one();
  return true;
}

void blocking_pool::run() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock lock{mutex_};
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return;
      work = std::move(queue_.front());
      queue_.pop_front();
      if (queued_metric_)
        queued_metric_->Set(static_cast<double>(queue_.size()));
    }
    work();
  }
}

}  // namespace taskflow::runtime
