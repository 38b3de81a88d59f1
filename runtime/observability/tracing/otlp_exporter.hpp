// Sends finished spans to an OpenTelemetry collector over OTLP/HTTP (JSON,
// gzip). The hop from the threads that end spans to the network:
//
// - submit() runs on any thread (CAF's scheduler, the HTTP edge's I/O
//   threads) and only pushes onto a bounded queue under a mutex. It never
//   waits for room: when the queue holds max_queue spans, the span is dropped
//   and counted.
// - One thread of the exporter's own takes batches (max_batch spans, or what
//   has come when flush_interval passes) and POSTs them one at a time with
//   libcurl. Connection errors and 429/502/503/504 (OTLP/HTTP's retryable
//   answers) are retried after a jittered, doubling backoff, or after the
//   collector's Retry-After when longer (up to max_backoff), until
//   max_attempts; any other answer is final. A batch that fails is dropped and
//   counted: spans are for diagnosis, and holding them back while the
//   collector is away would only move the loss to the queue.
// - The destructor cuts a backoff short and gives what is queued one last
//   try within shutdown_timeout, then counts whatever was not sent as
//   dropped. A POST in flight is ended at that deadline too, but libcurl
//   only looks at it between reads, about once a second on a silent
//   connection: the destructor returns within shutdown_timeout + ~1 s.
//
// The hooks run on submitters' threads ("queue_full") and on the exporter's:
// they must be thread-safe, quick and must not throw (metric counters).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "messages/trace/span.pb.h"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/tracing/otlp_json.hpp"

namespace taskflow::runtime {

struct otlp_exporter_config {
  // The collector's base URL, e.g. http://127.0.0.1:4318.
  std::string endpoint;
  std::string service_name = "taskflow";
  std::string service_version;
  std::size_t max_queue = 2048;  // spans waiting
  std::size_t max_batch = 512;   // spans per POST
  std::chrono::milliseconds flush_interval{1000};
  std::chrono::milliseconds timeout{5000};           // per POST, connecting included
  int max_attempts = 4;                              // the first POST included
  std::chrono::milliseconds backoff{200};            // before the first retry; doubles
  std::chrono::milliseconds max_backoff{5000};       // caps Retry-After too
  std::chrono::milliseconds shutdown_timeout{1000};  // the destructor's last flush
};

struct otlp_exporter_hooks {
  std::function<void(std::size_t spans)> exported;
  // reason: "queue_full", "export_failed" (retries exhausted, a final answer,
  // or spans the collector rejected) or "shutdown".
  std::function<void(std::size_t spans, const char* reason)> dropped;
  // Every failed POST, retried or not.
  std::function<void()> export_error;
};

// Where OTLP/HTTP trace exports go: the base URL with /v1/traces appended,
// unless its path already ends with /v1/traces.
std::string otlp_traces_url(std::string_view endpoint);

class otlp_exporter {
public:
  // log, when given, must outlive the exporter; it hears of an outage once,
  // when the first batch is lost, and once more when exports recover.
  explicit otlp_exporter(otlp_exporter_config config, otlp_exporter_hooks hooks = {}, const logger* log = nullptr);
  ~otlp_exporter();
  otlp_exporter(const otlp_exporter&) = delete;
  otlp_exporter& operator=(const otlp_exporter&) = delete;

  // Never blocks on I/O; drops the span when the queue is full.
  void submit(messages::Span span);

private:
  // The exporter thread's own state: the libcurl handle, backoff, outage.
  class worker;

  std::vector<messages::Span> take(std::size_t most);
  void drop(std::size_t spans, const char* reason) const;

  const otlp_exporter_config config_;
  const otlp_service service_;
  const std::string url_;
  const otlp_exporter_hooks hooks_;
  const logger* const log_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<messages::Span> queue_;
  // When a POST still going must give up: steady_clock ticks, set by the destructor.
  std::atomic<std::chrono::steady_clock::rep> give_up_at_{
      std::chrono::steady_clock::time_point::max().time_since_epoch().count()};
  // Last, so it starts after the members it uses.
  std::jthread thread_;
};

}  // namespace taskflow::runtime
