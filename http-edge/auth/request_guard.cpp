#include "http-edge/auth/request_guard.hpp"

#include <algorithm>
#include <array>

#include <boost/algorithm/string/predicate.hpp>

#include "http-edge/middleware/header_value.hpp"

namespace taskflow::edge {
namespace {

struct route_key {
  http::verb method;
  std::string_view route;
};

constexpr std::array public_routes{
    route_key{http::verb::post, "/api/v1/users"},
    route_key{http::verb::post, "/api/v1/sessions"},
    route_key{http::verb::post, "/api/v1/sessions/refresh"},
};

constexpr std::array credential_routes{
    route_key{http::verb::post, "/api/v1/users"},
    route_key{http::verb::post, "/api/v1/sessions"},
    route_key{http::verb::post, "/api/v1/sessions/refresh"},
    route_key{http::verb::post, "/oauth/token"},
};

template <std::size_t N>
bool listed(const std::array<route_key, N>& routes, const request_context& ctx) {
  return std::any_of(routes.begin(), routes.end(),
                     [&](const route_key& r) { return r.method == ctx.request.method() && r.route == ctx.route; });
}

bool is_api(const request_context& ctx) {
  return ctx.route.rfind("/api/", 0) == 0;
}

// The admin API; the console page at /admin itself is public, it signs in
// through the sessions API.
bool is_admin_api(const request_context& ctx) {
  return ctx.route.rfind("/admin/api/", 0) == 0;
}

bool needs_credential(const request_context& ctx) {
  if (is_admin_api(ctx))
    return true;
  if (!is_api(ctx) || listed(public_routes, ctx))
    return false;
  return ctx.route.size() < 13 || ctx.route.compare(ctx.route.size() - 13, 13, "/openapi.json") != 0;
}

// Operations endpoints are for probes and scrapers, which must never be
// turned away by a limit meant for clients.
bool is_rate_limited(const request_context& ctx) {
  return is_api(ctx) || is_admin_api(ctx) || ctx.route.rfind("/oauth/", 0) == 0 ||
         ctx.route.rfind("/.well-known/", 0) == 0;
}

// /api/vN/tasks and what is under it, in every API version (an unversioned
// /api/tasks is routed on its versioned path, so it lands here too).
bool is_task_route(std::string_view route) {
  constexpr std::string_view api = "/api/v";
  constexpr std::string_view tasks = "/tasks";
  if (route.substr(0, api.size()) != api)
    return false;
  auto rest = route.substr(api.size());
  auto digits = std::min(rest.find_first_not_of("0123456789"), rest.size());
  rest.remove_prefix(digits);
  return digits > 0 && rest.substr(0, tasks.size()) == tasks &&
         (rest.size() == tasks.size() || rest[tasks.size()] == '/');
}

// The scope a task route needs: reads need tasks:read, everything else tasks:write.
std::optional<std::string> required_scope(const request_context& ctx) {
  if (!is_task_route(ctx.route))
    return std::nullopt;
  auto m = ctx.request.method();
  return m == http::verb::get || m == http::verb::head ? "tasks:read" : "tasks:write";
}

}  // namespace

void add_rate_limit_headers(request_context& ctx, const rate_decision& d) {
  if (d.limit == 0)
    return;
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
  if (authorization.empty() && api_key_header.empty())
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
    return identity_.authenticate_api_key(api_key_header, identified);
  auto space = authorization.find(' ');
  auto scheme = authorization.substr(0, space);
  auto credential = space == std::string_view::npos ? std::string_view{} : trim_ows(authorization.substr(space));
  if (credential.empty())
    return then(unauthorized("The Authorization header needs a scheme and a credential.", "invalid_request"));
  if (boost::iequals(scheme, "Bearer"))
    return identified(identity_.authenticate_bearer(credential));
  if (boost::iequals(scheme, "ApiKey"))
    return identity_.authenticate_api_key(credential, identified);
  then(unauthorized("Unsupported authorization scheme; use Bearer or ApiKey.", "invalid_request"));
}

std::optional<problem> request_guard::authorize(request_context& ctx) {
  if (!ctx.identity && needs_credential(ctx))
    return unauthorized(
        "This resource needs a credential: Authorization: Bearer <token>, "
        "Authorization: ApiKey <key> or X-API-Key.",
        "");
  if (is_rate_limited(ctx)) {
    auto decision =
        ctx.identity ? per_principal_.take("p:" + ctx.principal.id()) : per_ip_.take("ip:" + ctx.remote_address);
    add_rate_limit_headers(ctx, decision);
    if (!decision.allowed)
      return too_many_requests(decision.retry_after_s);
    if (listed(credential_routes, ctx)) {
      auto strict = credential_endpoints_.take("auth:" + ctx.remote_address);
      if (!strict.allowed) {
        ctx.response_headers.clear();
        add_rate_limit_headers(ctx, strict);
        return too_many_requests(strict.retry_after_s);
      }
    }
  }
  // Admins act as themselves through a session: an API key carries task
  // scopes only, and service clients are never admins.
  if (is_admin_api(ctx)) {
    const auto& roles = ctx.principal.roles();
    bool admin = std::find(roles.begin(), roles.end(), "admin") != roles.end();
    if (!admin || ctx.identity->via != runtime::authenticated::kind::session)
      return forbidden("The admin API is for administrators signed in with a session.");
  }
  if (auto scope = required_scope(ctx)) {
    const auto& scopes = ctx.principal.scopes();
    if (std::find(scopes.begin(), scopes.end(), *scope) == scopes.end())
      return insufficient_scope(*scope);
  }
  return std::nullopt;
}

}  // namespace taskflow::edge
