// The node's gRPC server (--grpc-listen): taskflow.v1.Tasks, the standard
// health service (grpc.health.v1.Health) and server reflection, on gRPC's
// own threads. Health follows /readyz: SERVING while the store answers, the
// node is healthy and no shutdown has begun; NOT_SERVING from the moment a
// shutdown begins, so load balancers drain the node before it goes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "http-edge/grpc/call_guard.hpp"
#include "http-edge/handlers/recent_writes.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/idempotency_gateway.hpp"
#include "runtime/edge_api/identity_gateway.hpp"
#include "runtime/edge_api/task_gateway.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::edge {

struct grpc_edge_deps {
  runtime::task_gateway& tasks;
  runtime::identity_gateway& identity;
  runtime::idempotency_gateway& idempotency;
  // The HTTP edge's, shared (see call_guard and task_service).
  rate_limiter& per_principal;
  rate_limiter& per_ip;
  recent_writes& writes;
  std::function<bool()> node_healthy;
};

class grpc_edge {
public:
  grpc_edge(const runtime::config& cfg, grpc_edge_deps deps, runtime::metrics& stats, const runtime::logger& log);
  ~grpc_edge();

  // Binds cfg.grpc_listen and serves; answers the address bound
  // ("127.0.0.1:9090", the port picked when it was 0).
  caf::expected<std::string> start();

  // Health turns NOT_SERVING for good; calls are still served.
  void stop_serving();

  // Stops taking calls and waits up to `timeout` for those in flight, then
  // cancels what is left.
  void drain(std::chrono::milliseconds timeout);

private:
  struct impl;
  std::unique_ptr<impl> self_;
};

}  // namespace taskflow::edge
