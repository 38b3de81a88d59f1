// The tracer a node installs: decides which new traces are sampled (a ratio;
// a caller's decision always wins, see trace::span), stamps each finished
// span with the node's id, keeps it in the node's trace buffer, hands it to
// the OTLP exporter when one is configured, and counts spans in the node's
// metrics.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <prometheus/counter.h>

#include "messages/trace/tracer.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/observability/tracing/otlp_exporter.hpp"
#include "runtime/observability/tracing/trace_buffer.hpp"

namespace taskflow::runtime {

struct node_tracer_config {
  std::string node_id;
  double sample_ratio = 0.0;  // of traces that start on this node, 0..1
};

// The exporter's counts as the node's metrics: spans exported, dropped (by
// reason), failed POSTs.
otlp_exporter_hooks exporter_metrics(metrics& stats);

class node_tracer final : public trace::tracer {
public:
  // `exporter` may be null (no OTLP endpoint).
  node_tracer(node_tracer_config config, std::shared_ptr<trace_buffer> buffer, std::shared_ptr<otlp_exporter> exporter,
              metrics& stats);

  bool sample_root() override;
  void started() override;
  void record(messages::Span span) override;

  // Lets go of the exporter (it sends what it holds, within its shutdown
  // time, once the last span in flight is handed over). A stopping node
  // calls it: the tracer itself outlives the node (trace::install).
  void close_exporter();

private:
  node_tracer_config config_;
  std::shared_ptr<trace_buffer> buffer_;
  std::atomic<std::shared_ptr<otlp_exporter>> exporter_;
  prometheus::Counter& started_;
  prometheus::Counter& ended_;
};

}  // namespace taskflow::runtime
