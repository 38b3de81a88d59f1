#include "http-edge/grpc/call_guard.hpp"

#include <algorithm>
#include <string>

#include <boost/algorithm/string/predicate.hpp>

#include "http-edge/grpc/grpc_status.hpp"
#include "http-edge/middleware/header_value.hpp"

namespace taskflow::edge::grpc_api {
namespace {

grpc::Status unauthenticated(const std::string& message) {
  return failure(grpc::StatusCode::UNAUTHENTICATED, message, "UNAUTHENTICATED");
}

}  // namespace

call_guard::call_guard(runtime::identity_gateway& identity, rate_limiter& per_principal, rate_limiter& per_ip)
    : identity_(identity), per_principal_(per_principal), per_ip_(per_ip) {}

void call_guard::admit(const std::shared_ptr<call_context>& ctx, std::string_view scope, admitted then) {
  auto authorization = ctx->values("authorization");
  auto api_key = ctx->values("x-api-key");
  if (authorization.size() + api_key.size() != 1) {
    // Count a call without a usable credential against the address, so
    // guessing costs what it costs over HTTP.
    if (auto d = per_ip_.take("ip:" + ctx->peer); !d.allowed)
      return then(failure(grpc::StatusCode::RESOURCE_EXHAUSTED, "Too many requests; retry later.", "RATE_LIMITED",
                          std::chrono::seconds{d.retry_after_s}));
    if (authorization.empty() && api_key.empty())
      return then(unauthenticated(
          "This call needs a credential: metadata authorization: Bearer <token>, authorization: ApiKey <key> or "
          "x-api-key: <key>."));
    return then(unauthenticated("Send one credential: one authorization or one x-api-key entry, not several."));
  }

  auto identified = [this, ctx, scope, then](runtime::outcome<runtime::authenticated> who) {
    if (auto* error = std::get_if<messages::Error>(&who)) {
      if (error->code() == messages::ERROR_CODE_UNAVAILABLE)
        return then(status_of(*error));
      return then(unauthenticated(error->detail()));
    }
    ctx->identity = std::move(std::get<runtime::authenticated>(who));
    ctx->principal = ctx->identity->principal;
    then(authorize(*ctx, scope));
  };
  if (!api_key.empty())
    return identity_.authentication().api_key(trim_ows(api_key.front()), identified);
  auto value = trim_ows(authorization.front());
  auto space = value.find(' ');
  auto scheme = value.substr(0, space);
  auto credential = space == std::string_view::npos ? std::string_view{} : trim_ows(value.substr(space));
  if (credential.empty())
    return then(unauthenticated("The authorization entry needs a scheme and a credential: Bearer <token>."));
  if (boost::iequals(scheme, "Bearer"))
    return identity_.authentication().bearer(credential, identified);
  if (boost::iequals(scheme, "ApiKey"))
    return identity_.authentication().api_key(credential, identified);
  then(unauthenticated("Unsupported authorization scheme; use Bearer or ApiKey."));
}

grpc::Status call_guard::authorize(call_context& ctx, std::string_view scope) {
  if (auto d = per_principal_.take("p:" + ctx.principal.id()); !d.allowed)
    return failure(grpc::StatusCode::RESOURCE_EXHAUSTED, "Too many requests; retry after the delay given.",
                   "RATE_LIMITED", std::chrono::seconds{std::max<std::int64_t>(d.retry_after_s, 1)});
  const auto& scopes = ctx.principal.scopes();
  if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end())
    return failure(grpc::StatusCode::PERMISSION_DENIED,
                   "This credential lacks the scope " + std::string{scope} + " that the call needs.",
                   "INSUFFICIENT_SCOPE");
  return grpc::Status::OK;
}

}  // namespace taskflow::edge::grpc_api
