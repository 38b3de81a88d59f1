#include "persistence/batching/commit_queue.hpp"

#include <algorithm>

namespace taskflow::persistence {

commit_queue::commit_queue(std::size_t writers, std::size_t max_batch, std::size_t max_waiting, batch_writer write,
                           failure_mapper failure, commit_observer observer, std::string db_system)
    : max_batch_(std::max<std::size_t>(max_batch, 1)),
      max_waiting_(max_waiting),
      write_(std::move(write)),
      failure_(std::move(failure)),
      observer_(std::move(observer)),
      db_system_(std::move(db_system)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(writers, 1); ++i)
    writers_.emplace_back([this] { run(); });
}

commit_queue::~commit_queue() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : writers_)
    t.join();
}

namespace {

// Only a sampled commit pays for a span: most are not.
trace::span commit_span(const ports::task_commit& commit, const std::string& db_system) {
  auto parent = trace::parse_traceparent(commit.traceparent);
  if (!parent || !parent->sampled)
    return {};
  auto span = trace::span::start("commit tasks", trace::kind::client, commit.traceparent);
  span.attr("db.system", db_system).attr("db.operation.name", "COMMIT").attr("db.collection.name", "tasks");
  return span;
}

}  // namespace

void commit_queue::submit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) {
  auto span = commit_span(*commit, db_system_);
  const char* refusal = nullptr;
  {
    std::lock_guard lock{mutex_};
    if (stopping_) {
      refusal = "the store is shutting down";
    } else if (queue_.size() >= max_waiting_) {
      refusal = "too many commits wait for the database";
    } else {
      queue_.push_back({std::move(commit), std::move(done), std::chrono::steady_clock::now(), span});
      work_cv_.notify_one();
      return;
    }
  }
  span.fail(refusal).end();
  done(ports::make_error(ports::store_errc::unavailable, refusal));
}

void commit_queue::run() {
  std::unique_lock lock{mutex_};
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty())
      return;
    std::vector<request> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    write(batch);
    lock.lock();
  }
}

void commit_queue::write(std::vector<request>& batch) {
  std::vector<queued_commit> entries;
  entries.reserve(batch.size());
  bool sampled = false;
  for (const auto& req : batch) {
    entries.push_back({req.commit.get()});
    sampled = sampled || req.span.recording();
  }
  // The batch is a trace of its own that every sampled commit links to:
  // one transaction serves many requests' traces.
  auto batch_span = trace::span::root("commit batch", trace::kind::internal, sampled);
  batch_span.attr("db.system", db_system_).attr("taskflow.batch.size", static_cast<std::int64_t>(batch.size()));
  try {
    write_(entries);
  } catch (...) {
    auto error = failure_();
    for (auto& e : entries)
      e.result = error;
  }
  batch_span.end();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& span = batch[i].span;
    if (!span.recording())
      continue;
    span.link(batch_span.ctx()).attr("taskflow.batch.size", static_cast<std::int64_t>(batch.size()));
    if (!entries[i].result)
      span.fail(ports::error_detail(entries[i].result.error()));
    span.end();
  }
  if (observer_.batch_written)
    observer_.batch_written(batch.size());
  auto now = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (observer_.commit_waited)
      observer_.commit_waited(std::chrono::duration<double>(now - batch[i].queued).count());
    batch[i].done(std::move(entries[i].result));
  }
}

}  // namespace taskflow::persistence
