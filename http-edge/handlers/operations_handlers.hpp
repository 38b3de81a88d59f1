// /healthz (the process is alive), /readyz (it can serve: store reachable,
// supervision healthy, not draining), /metrics (Prometheus text format) and
// the OpenAPI document of each API version.
#pragma once

#include <atomic>
#include <functional>

#include "http-edge/routing/router.hpp"
#include "runtime/edge_api/task_gateway.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::edge {

struct readiness_probe {
  runtime::task_gateway* gateway = nullptr;
  std::function<bool()> node_healthy;
  const std::atomic<bool>* draining = nullptr;
};

void add_operations_routes(router& routes, readiness_probe probe, runtime::metrics& stats);

}  // namespace taskflow::edge
