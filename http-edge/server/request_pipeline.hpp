// The middleware chain of ARCHITECTURE.md, in order: request id + trace
// context -> limits -> version resolution -> routing -> admission (the
// in-flight budget) -> authentication + rate
// limits -> idempotency -> handler -> problem+json. Routing comes before
// authentication so an unknown path is a 404 and a wrong method a 405 for
// everyone, as the contract says; idempotency comes after it because keys are
// scoped by the authenticated principal. Then the common response headers, one
// log line and the request metrics.
// Body and header size limits are enforced earlier, by the parser.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http-edge/auth/request_guard.hpp"
#include "http-edge/middleware/admission.hpp"
#include "http-edge/middleware/idempotency.hpp"
#include "http-edge/middleware/shed_summary.hpp"
#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/router.hpp"
#include "runtime/config/config.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::edge {

// The answer to a request: its response, and for a streamed answer the
// stream that produces the body after the response's head.
using answer_handler = std::function<void(http_response, std::shared_ptr<response_stream>)>;

class request_pipeline {
public:
  // Without a guard (a node without the edge role serves no /api) requests
  // stay anonymous.
  request_pipeline(const router& routes, const runtime::config& cfg, runtime::metrics& stats,
                   const runtime::logger& log, request_guard* guard, runtime::idempotency_gateway* idempotency);

  // `done` may be called on any thread, exactly once.
  void handle(http_request request, std::string remote_address, answer_handler done) const;

  // Completes a request that failed before it could be routed (e.g. 413 from
  // the parser), with the same headers, log line and metrics as any other.
  void reject(const problem& p, std::string remote_address, std::function<void(http_response)> done) const;

private:
  // Completes the answer (complete()), logs it and hands it to `done`.
  void finish(const std::shared_ptr<request_context>& ctx, http_response res, const answer_handler& done) const;
  // A request past the in-flight budget: 503 with Retry-After, counted in the
  // shed summary rather than logged on a line of its own.
  void shed(const std::shared_ptr<request_context>& ctx, bool keep_alive, const answer_handler& done) const;
  // The common headers, the request metrics and the server span; returns the
  // seconds the request took.
  double complete(request_context& ctx, http_response& res) const;
  // The admitted request's Idempotency-Key handling and handler.
  void run(const std::shared_ptr<request_context>& ctx, const endpoint* target, bool keep_alive,
           const answer_handler& done) const;

  struct request_series {
    prometheus::Counter* requests;
    prometheus::Histogram* seconds;
  };
  // The series of one route, method and status. Asking the families for
  // them on every request would build and hash label maps each time.
  request_series series_for(const std::string& route, const std::string& method, int status) const;

  const router& routes_;
  const runtime::config& cfg_;
  runtime::metrics& stats_;
  // Bounded: routes, methods and statuses are finite.
  mutable std::mutex series_mutex_;
  mutable std::unordered_map<std::string, request_series> series_;
  const runtime::logger& log_;
  request_guard* guard_;
  idempotency_middleware idempotency_;
  // Mutable: admission is bookkeeping, not the pipeline's configuration.
  mutable admission_budget admission_;
  mutable shed_summary shed_log_;
};

}  // namespace taskflow::edge
