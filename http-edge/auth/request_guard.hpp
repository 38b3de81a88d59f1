// The authentication and rate-limit stage of the pipeline, run once a request
// has matched a route, enforcing the policy that route was registered with
// (http-edge/routing/route_policy.hpp): whether a credential is needed, which
// scope (a user's session has every task scope; an API key has what it was
// given), whether only an admin's session will do, and the rate class.
// Anonymous requests are limited per client IP, authenticated ones per
// principal, and the credential endpoints again per IP with a smaller budget.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http-edge/middleware/rate_limiter.hpp"
#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/request_context.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/identity_gateway.hpp"

namespace taskflow::edge {

class request_guard {
public:
  request_guard(runtime::identity_gateway& identity, const runtime::config& cfg);

  // Nothing, or the problem to send instead.
  using admitted = std::function<void(std::optional<problem>)>;

  // Checks the credential (filling ctx->identity and ctx->principal), rate
  // limits and scopes, then calls `then`: on the calling thread, or on the
  // identity gateway's pool when an API key has to be read from the store.
  void admit(const std::shared_ptr<request_context>& ctx, admitted then);

  // Failed sign-ins per IP and account: checked before, charged after a failure.
  rate_limiter& login_failures() { return login_failures_; }
  // The client budgets, for the gRPC edge to draw from too.
  rate_limiter& per_principal() { return per_principal_; }
  rate_limiter& per_ip() { return per_ip_; }

private:
  // Everything after authentication: credential required, rate limits,
  // admin role, scopes.
  std::optional<problem> authorize(request_context& ctx);

  runtime::identity_gateway& identity_;
  rate_limiter per_principal_;
  rate_limiter per_ip_;
  rate_limiter credential_endpoints_;
  rate_limiter login_failures_;
};

// Admins act as themselves through a session: an API key carries task
// scopes only, and service clients are never admins.
bool is_admin_session(const request_context& ctx);

// Adds RateLimit-* headers (IETF draft) for a decision to the answer.
void add_rate_limit_headers(request_context& ctx, const rate_decision& d);

}  // namespace taskflow::edge
