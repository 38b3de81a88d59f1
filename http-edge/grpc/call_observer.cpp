#include "http-edge/grpc/call_observer.hpp"

#include <array>

#include "http-edge/middleware/latency_buckets.hpp"

namespace taskflow::edge::grpc_api {

const char* code_name(grpc::StatusCode code) {
  static constexpr std::array<const char*, 17> names{
      "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
      "DATA_LOSS", "UNAUTHENTICATED"};
  auto index = static_cast<std::size_t>(code);
  return index < names.size() ? names[index] : "UNKNOWN";
}

call_observer::call_observer(runtime::metrics& stats, const runtime::logger& log, std::size_t in_flight_limit)
    : calls_(prometheus::BuildCounter()
                 .Name("taskflow_grpc_requests_total")
                 .Help("gRPC calls by method and status code")
                 .Register(stats.registry())),
      seconds_(prometheus::BuildHistogram()
                   .Name("taskflow_grpc_request_duration_seconds")
                   .Help("gRPC call latency by method")
                   .Register(stats.registry())),
      in_flight_(prometheus::BuildGauge()
                     .Name("taskflow_grpc_requests_in_flight")
                     .Help("gRPC calls this edge has admitted and not yet answered")
                     .Register(stats.registry())
                     .Add({})),
      shed_(prometheus::BuildCounter()
                .Name("taskflow_grpc_requests_shed_total")
                .Help("gRPC calls answered UNAVAILABLE at once because the in-flight budget was spent")
                .Register(stats.registry())
                .Add({})),
      log_(log),
      shed_log_(log, "grpc_calls_shed", in_flight_limit) {}

call_observer::series call_observer::series_for(const std::string& method, grpc::StatusCode code) {
  const char* name = code_name(code);
  auto key = method + ' ' + name;
  std::lock_guard lock{mutex_};
  auto it = series_.find(key);
  if (it == series_.end()) {
    series found{&calls_.Add({{"method", method}, {"code", name}}),
                 &seconds_.Add({{"method", method}}, latency_buckets())};
    it = series_.emplace(std::move(key), found).first;
  }
  return it->second;
}

void call_observer::record(const call_context& ctx, grpc::StatusCode code) {
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  auto s = series_for(ctx.method, code);
  s.calls->Increment();
  s.seconds->Observe(elapsed);
  auto span = ctx.span;
  span.attr("rpc.grpc.status_code", static_cast<std::int64_t>(code)).attr("client.address", ctx.peer);
  if (code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNAVAILABLE ||
      code == grpc::StatusCode::DEADLINE_EXCEEDED || code == grpc::StatusCode::UNKNOWN)
    span.fail(code_name(code));
  span.end();
  if (ctx.shed) {
    shed_log_.refused();
    return;
  }
  log_.info("grpc_request", {{"request_id", ctx.request_id},
                             {"trace_id", ctx.traceparent.size() > 35 ? ctx.traceparent.substr(3, 32) : ""},
                             {"method", ctx.method},
                             {"code", code_name(code)},
                             {"duration_ms", elapsed * 1000.0},
                             {"principal_id", ctx.principal.id()},
                             {"remote", ctx.peer}});
}

}  // namespace taskflow::edge::grpc_api
