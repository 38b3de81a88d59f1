#include "http-edge/auth/request_guard.hpp"

#include <algorithm>

#include <boost/algorithm/string/predicate.hpp>

#include "http-edge/middleware/header_value.hpp"

namespace taskflow::edge {

void add_rate_limit_headers(request_context& ctx, const rate_decision& d) {
  if (d.limit == 0)
    return;
  // The figures are those of the bucket that decided last: a sign-in refused
  // for its failures shows that bucket's, not the address's.
  auto& headers = ctx.response_headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [](const auto& h) { return boost::algorithm::istarts_with(h.first, "RateLimit-"); }),
                headers.end());
  ctx.response_headers.emplace_back("RateLimit-Limit", std::to_string(d.limit));
  ctx.response_headers.emplace_back("RateLimit-Remaining", std::to_string(d.remaining));
  ctx.response_headers.emplace_back("RateLimit-Reset", std::to_string(d.reset_s));
}

request_guard::request_guard(runtime::identity_gateway& identity, const runtime::config& cfg)
    : identity_(identity),
      per_principal_(cfg.principal_rate),
      per_ip_(cfg.ip_rate),
      credential_endpoints_(cfg.auth_rate),
      login_failures_(cfg.login_failure_rate) {}

void request_guard::admit(const std::shared_ptr<request_context>& ctx, admitted then) {
  auto raw_authorization = ctx->request[http::field::authorization];
  auto raw_api_key = ctx->request["X-API-Key"];
  auto authorization = trim_ows({raw_authorization.data(), raw_authorization.size()});
  auto api_key_header = trim_ows({raw_api_key.data(), raw_api_key.size()});
  if ((authorization.empty() && api_key_header.empty()) || ctx->policy.who == access::oauth_client)
    return then(authorize(*ctx));
  if (!authorization.empty() && !api_key_header.empty())
    return then(unauthorized("Send one credential: Authorization or X-API-Key, not both.", "invalid_request"));

  auto identified = [this, ctx, then](runtime::outcome<runtime::authenticated> who) {
    if (auto* error = std::get_if<messages::Error>(&who)) {
      if (error->code() == messages::ERROR_CODE_UNAVAILABLE)
        return then(from_error(*error));
      return then(unauthorized(error->detail()));
    }
    ctx->identity = std::move(std::get<runtime::authenticated>(who));
    ctx->principal = ctx->identity->principal;
    then(authorize(*ctx));
  };
  if (!api_key_header.empty())
    return identity_.authentication().api_key(api_key_header, identified);
  auto space = authorization.find(' ');
  auto scheme = authorization.substr(0, space);
  auto credential = space == std::string_view::npos ? std::string_view{} : trim_ows(authorization.substr(space));
  if (credential.empty())
    return then(unauthorized("The Authorization header needs a scheme and a credential.", "invalid_request"));
  if (boost::iequals(scheme, "Bearer"))
    return identity_.authentication().bearer(credential, identified);
  if (boost::iequals(scheme, "ApiKey"))
    return identity_.authentication().api_key(credential, identified);
  then(unauthorized("Unsupported authorization scheme; use Bearer or ApiKey.", "invalid_request"));
}

bool is_admin_session(const request_context& ctx) {
  const auto& roles = ctx.principal.roles();
  return ctx.identity && ctx.identity->via == runtime::authenticated::kind::session &&
         std::find(roles.begin(), roles.end(), "admin") != roles.end();
}

std::optional<problem> request_guard::authorize(request_context& ctx) {
  const auto& policy = ctx.policy;
  bool open = policy.who == access::anyone || policy.who == access::oauth_client;
  if (!ctx.identity && !open)
    return unauthorized(
        "This resource needs a credential: Authorization: Bearer <token>, "
        "Authorization: ApiKey <key> or X-API-Key.",
        "");
  if (policy.rate != rate_class::unlimited) {
    auto decision =
        ctx.identity ? per_principal_.take("p:" + ctx.principal.id()) : per_ip_.take("ip:" + ctx.remote_address);
    add_rate_limit_headers(ctx, decision);
    if (!decision.allowed)
      return too_many_requests(decision.retry_after_s);
    if (policy.rate == rate_class::credential) {
      auto strict = credential_endpoints_.take("auth:" + ctx.remote_address);
      if (!strict.allowed) {
        ctx.response_headers.clear();
        add_rate_limit_headers(ctx, strict);
        return too_many_requests(strict.retry_after_s);
      }
    }
  }
  if (policy.who == access::admin_session && !is_admin_session(ctx))
    return forbidden("The admin API is for administrators signed in with a session.");
  if (!policy.scope.empty()) {
    const auto& scopes = ctx.principal.scopes();
    if (std::find(scopes.begin(), scopes.end(), policy.scope) == scopes.end())
      return insufficient_scope(std::string{policy.scope});
  }
  return std::nullopt;
}

}  // namespace taskflow::edge
