#include "runtime/observability/tracing/node_tracer.hpp"

#include <random>
#include <string_view>

namespace taskflow::runtime {

otlp_exporter_hooks exporter_metrics(metrics& stats) {
  auto& exported = prometheus::BuildCounter()
                       .Name("taskflow_trace_spans_exported_total")
                       .Help("Spans the OTLP collector accepted")
                       .Register(stats.registry())
                       .Add({});
  auto& dropped = prometheus::BuildCounter()
                      .Name("taskflow_trace_spans_dropped_total")
                      .Help("Spans not exported, by reason (queue_full, export_failed, shutdown)")
                      .Register(stats.registry());
  auto& errors = prometheus::BuildCounter()
                     .Name("taskflow_trace_export_errors_total")
                     .Help("Failed OTLP export attempts, retried or not")
                     .Register(stats.registry())
                     .Add({});
  auto* queue_full = &dropped.Add({{"reason", "queue_full"}});
  auto* failed = &dropped.Add({{"reason", "export_failed"}});
  auto* shutdown = &dropped.Add({{"reason", "shutdown"}});
  otlp_exporter_hooks hooks;
  hooks.exported = [&exported](std::size_t spans) { exported.Increment(static_cast<double>(spans)); };
  hooks.dropped = [queue_full, failed, shutdown](std::size_t spans, const char* reason) {
    std::string_view why{reason};
    auto* counter = why == "queue_full" ? queue_full : why == "shutdown" ? shutdown : failed;
    counter->Increment(static_cast<double>(spans));
  };
  hooks.export_error = [&errors] { errors.Increment(); };
  return hooks;
}

node_tracer::node_tracer(node_tracer_config config, std::shared_ptr<trace_buffer> buffer,
                         std::shared_ptr<otlp_exporter> exporter, metrics& stats)
    : config_(std::move(config)),
      buffer_(std::move(buffer)),
      exporter_(std::move(exporter)),
      started_(prometheus::BuildCounter()
                   .Name("taskflow_trace_spans_started_total")
                   .Help("Sampled spans started on this node")
                   .Register(stats.registry())
                   .Add({})),
      ended_(prometheus::BuildCounter()
                 .Name("taskflow_trace_spans_ended_total")
                 .Help("Sampled spans ended on this node (kept in its trace buffer, and exported when configured)")
                 .Register(stats.registry())
                 .Add({})) {}

bool node_tracer::sample_root() {
  if (config_.sample_ratio <= 0.0)
    return false;
  if (config_.sample_ratio >= 1.0)
    return true;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>{0.0, 1.0}(rng) < config_.sample_ratio;
}

void node_tracer::started() {
  started_.Increment();
}

void node_tracer::record(messages::Span span) {
  span.set_node_id(config_.node_id);
  ended_.Increment();
  if (auto exporter = exporter_.load())
    exporter->submit(span);
  buffer_->add(std::move(span));
}

void node_tracer::close_exporter() {
  exporter_.store(nullptr);
}

}  // namespace taskflow::runtime
