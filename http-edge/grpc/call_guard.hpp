// Authentication, rate limits and scopes for gRPC calls: the HTTP edge's
// policy read from metadata. `authorization: Bearer <jwt>` or
// `authorization: ApiKey <key>` (or `x-api-key: <key>`), one credential per
// call; the principal's rate-limit bucket is the one its HTTP requests draw
// from, so a client cannot double its budget by switching protocols.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include <grpcpp/support/status.h>

#include "http-edge/grpc/call_context.hpp"
#include "http-edge/middleware/rate_limiter.hpp"
#include "runtime/edge_api/identity_gateway.hpp"

namespace taskflow::edge::grpc_api {

class call_guard {
public:
  // The limiters are the HTTP edge's (request_guard), shared.
  call_guard(runtime::identity_gateway& identity, rate_limiter& per_principal, rate_limiter& per_ip);

  // OK, or the status to answer with instead.
  using admitted = std::function<void(grpc::Status)>;

  // Fills ctx->identity and ctx->principal, then calls `then`: on the
  // calling thread, or on the identity pool when a key is read from the store.
  void admit(const std::shared_ptr<call_context>& ctx, std::string_view scope, admitted then);

private:
  grpc::Status authorize(call_context& ctx, std::string_view scope);

  runtime::identity_gateway& identity_;
  rate_limiter& per_principal_;
  rate_limiter& per_ip_;
};

}  // namespace taskflow::edge::grpc_api
