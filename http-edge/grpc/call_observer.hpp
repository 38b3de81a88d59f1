// What every gRPC call leaves behind, as every HTTP request does: one log
// line (method, code, duration, trace id) and Prometheus series per method
// and status code, plus the in-flight budget's gauge and shed counter. A
// call shed for the budget has its series but no line of its own: a
// grpc_calls_shed line a second counts them (shed_summary).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include <grpcpp/support/status.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include "http-edge/grpc/call_context.hpp"
#include "http-edge/middleware/shed_summary.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::edge::grpc_api {

// "OK", "NOT_FOUND", ...: the canonical names, as gRPC's own tools print them.
const char* code_name(grpc::StatusCode code);

class call_observer {
public:
  call_observer(runtime::metrics& stats, const runtime::logger& log, std::size_t in_flight_limit);

  void record(const call_context& ctx, grpc::StatusCode code);

  prometheus::Gauge& in_flight() { return in_flight_; }
  prometheus::Counter& shed() { return shed_; }

private:
  struct series {
    prometheus::Counter* calls;
    prometheus::Histogram* seconds;
  };
  series series_for(const std::string& method, grpc::StatusCode code);

  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  prometheus::Gauge& in_flight_;
  prometheus::Counter& shed_;
  const runtime::logger& log_;
  shed_summary shed_log_;
  // Bounded: five methods and seventeen codes.
  std::mutex mutex_;
  std::unordered_map<std::string, series> series_;
};

}  // namespace taskflow::edge::grpc_api
