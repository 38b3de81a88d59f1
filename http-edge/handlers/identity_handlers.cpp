#include "http-edge/handlers/identity_handlers.hpp"

#include <sstream>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/predicate.hpp>

#include "http-edge/handlers/json_request.hpp"
#include "http-edge/handlers/json_response.hpp"
#include "http-edge/middleware/media_type.hpp"
#include "http-edge/routing/query_string.hpp"
#include "http-edge/v1/identity_json_v1.hpp"
#include "messages/ids/uuid.hpp"
#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::edge {
namespace {

using nlohmann::json;
using context_ptr = std::shared_ptr<request_context>;
using runtime::failed;

void register_user(runtime::identity_gateway& identity, const runtime::config& cfg, context_ptr ctx,
                   responder respond) {
  auto body = json_body(*ctx, cfg, respond);
  if (!body)
    return;
  messages::field_errors errors;
  runtime::registration request;
  request.email = v1::string_field(*body, "email", errors);
  request.password = v1::string_field(*body, "password", errors);
  request.display_name = v1::string_field(*body, "display_name", errors);
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  // Roles in the body are ignored on purpose: nobody registers as an admin.
  identity.accounts().register_user(
      std::move(request), ctx->traceparent, [ctx, respond](runtime::outcome<messages::UserSnapshot> result) {
        if (auto* e = failed(result)) {
          auto p = from_error(*e);
          if (e->code() == messages::ERROR_CODE_CONFLICT)
            p.detail = "This email is already registered.";
          return respond(rendered(p, *ctx));
        }
        respond(json_response(http::status::created, v1::user_to_json(std::get<messages::UserSnapshot>(result))));
      });
}

void answer_grant(const context_ptr& ctx, const responder& respond, http::status status,
                  runtime::outcome<runtime::token_grant> result) {
  if (auto* e = failed(result))
    return respond(rendered(from_error(*e), *ctx));
  auto res = json_response(status, v1::token_grant_to_json(std::get<runtime::token_grant>(result)));
  res.set(http::field::pragma, "no-cache");
  respond(std::move(res));
}

void sign_in(runtime::identity_gateway& identity, request_guard& guard, const runtime::config& cfg, context_ptr ctx,
             responder respond) {
  auto body = json_body(*ctx, cfg, respond);
  if (!body)
    return;
  messages::field_errors errors;
  auto email = v1::string_field(*body, "email", errors);
  auto password = v1::string_field(*body, "password", errors);
  std::string presented_device;
  if (body->contains("device_token"))
    presented_device = v1::string_field(*body, "device_token", errors);
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  // Failures count against the device a valid device token names, else
  // against this address and account (device_tokens.hpp says why). A token
  // that is not valid is no error: the client is simply one without.
  auto device = identity.sessions().device_of(presented_device, email);
  auto failure_key = device ? "login-device:" + *device
                            : "login:" + ctx->remote_address + ":" + boost::algorithm::to_lower_copy(email);
  auto budget = guard.login_failures().peek(failure_key);
  if (!budget.allowed) {
    add_rate_limit_headers(*ctx, budget);
    return respond(rendered(too_many_requests(budget.retry_after_s), *ctx));
  }
  identity.sessions().sign_in(std::move(email), std::move(password), device.value_or(""), ctx->traceparent,
                              [&guard, failure_key, ctx, respond](runtime::outcome<runtime::token_grant> result) {
                                if (auto* e = failed(result); e && e->code() == messages::ERROR_CODE_UNAUTHENTICATED)
                                  guard.login_failures().take(failure_key);
                                answer_grant(ctx, respond, http::status::created, std::move(result));
                              });
}

void refresh(runtime::identity_gateway& identity, const runtime::config& cfg, context_ptr ctx, responder respond) {
  auto body = json_body(*ctx, cfg, respond);
  if (!body)
    return;
  messages::field_errors errors;
  auto token = v1::string_field(*body, "refresh_token", errors);
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  identity.sessions().refresh(std::move(token), ctx->traceparent,
                              [ctx, respond](runtime::outcome<runtime::token_grant> result) {
                                answer_grant(ctx, respond, http::status::ok, std::move(result));
                              });
}

void sign_out(runtime::identity_gateway& identity, context_ptr ctx, responder respond) {
  identity.sessions().sign_out(*ctx->identity, ctx->traceparent, [ctx, respond](runtime::outcome<bool> result) {
    if (auto* e = failed(result))
      return respond(rendered(from_error(*e), *ctx));
    respond(http_response{http::status::no_content, 11});
  });
}

void me(runtime::identity_gateway& identity, context_ptr ctx, responder respond) {
  identity.accounts().current_user(*ctx->identity, [ctx, respond](runtime::outcome<messages::UserSnapshot> result) {
    if (auto* e = failed(result))
      return respond(rendered(from_error(*e), *ctx));
    respond(json_response(http::status::ok, v1::user_to_json(std::get<messages::UserSnapshot>(result))));
  });
}

void create_api_key(runtime::identity_gateway& identity, const runtime::config& cfg, context_ptr ctx,
                    responder respond) {
  auto body = json_body(*ctx, cfg, respond);
  if (!body)
    return;
  messages::field_errors errors;
  auto name = v1::string_field(*body, "name", errors);
  auto scopes = v1::strings_field(*body, "scopes", errors);
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  identity.api_keys().create(*ctx->identity, std::move(name), std::move(scopes),
                             [ctx, respond](runtime::outcome<runtime::created_api_key> result) {
                               if (auto* e = failed(result))
                                 return respond(rendered(from_error(*e), *ctx));
                               const auto& key = std::get<runtime::created_api_key>(result);
                               auto res = json_response(http::status::created, v1::api_key_to_json(key));
                               res.set(http::field::location, "/api/v1/api-keys/" + key.record.id);
                               respond(std::move(res));
                             });
}

void revoke_api_key(runtime::identity_gateway& identity, context_ptr ctx, responder respond) {
  const auto& id = ctx->path_params.at("id");
  if (!ids::is_uuid(id))
    return respond(rendered(not_found("No API key with this id."), *ctx));
  identity.api_keys().revoke(*ctx->identity, id, ctx->traceparent, [ctx, respond](runtime::outcome<bool> result) {
    if (auto* e = failed(result))
      return respond(rendered(from_error(*e), *ctx));
    respond(http_response{http::status::no_content, 11});
  });
}

void create_client(runtime::identity_gateway& identity, const runtime::config& cfg, context_ptr ctx,
                   responder respond) {
  auto body = json_body(*ctx, cfg, respond);
  if (!body)
    return;
  messages::field_errors errors;
  auto name = v1::string_field(*body, "name", errors);
  auto scopes = v1::strings_field(*body, "scopes", errors);
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  identity.clients().create(
      *ctx->identity, std::move(name), std::move(scopes),
      [ctx, respond](runtime::outcome<runtime::created_client> result) {
        if (auto* e = failed(result))
          return respond(rendered(from_error(*e), *ctx));
        respond(json_response(http::status::created, v1::client_to_json(std::get<runtime::created_client>(result))));
      });
}

// RFC 6749 §5.2 error answers, as problem details that also carry the
// "error" and "error_description" members OAuth2 clients look for.
http_response oauth_error(const request_context& ctx, http::status status, const std::string& error,
                          const std::string& description) {
  problem p;
  p.status = status;
  p.slug = "oauth-" + error;
  p.title = status == http::status::unauthorized ? "Unauthorized" : "Bad request";
  p.detail = description;
  p.extensions = {{"error", error}, {"error_description", description}};
  if (status == http::status::unauthorized)
    p.headers.emplace_back("WWW-Authenticate", "Basic realm=\"taskflow\"");
  return rendered(p, ctx);
}

void token(runtime::identity_gateway& identity, context_ptr ctx, responder respond) {
  auto content_type = ctx->request[http::field::content_type];
  if (!is_media_type({content_type.data(), content_type.size()}, {"application/x-www-form-urlencoded"}))
    return respond(
        rendered(unsupported_media_type("Send the token request as application/x-www-form-urlencoded."), *ctx));
  // A form body is a query string (RFC 6749 appendix B).
  auto form = parse_target("/?" + ctx->request.body());
  if (!form)
    return respond(oauth_error(*ctx, http::status::bad_request, "invalid_request", "The form body is malformed."));
  auto single = [&](const std::string& name) -> std::optional<std::string> {
    if (form->query.count(name) != 1)
      return std::nullopt;
    return form->query.find(name)->second;
  };
  for (const auto& name : {"grant_type", "client_id", "client_secret", "scope"})
    if (form->query.count(name) > 1)
      return respond(oauth_error(*ctx, http::status::bad_request, "invalid_request",
                                 std::string{"The parameter "} + name + " is repeated."));
  auto grant = single("grant_type");
  if (!grant)
    return respond(oauth_error(*ctx, http::status::bad_request, "invalid_request", "grant_type is required."));
  if (*grant != "client_credentials")
    return respond(oauth_error(*ctx, http::status::bad_request, "unsupported_grant_type",
                               "Only the client_credentials grant is supported."));
  auto client_id = single("client_id");
  auto client_secret = single("client_secret");
  // RFC 6749 §2.3.1: clients may authenticate with HTTP Basic instead.
  auto authorization = std::string{ctx->request[http::field::authorization]};
  if (boost::istarts_with(authorization, "Basic ")) {
    auto decoded = runtime::base64_decode(authorization.substr(6));
    auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos || client_id || client_secret)
      return respond(oauth_error(*ctx, http::status::unauthorized, "invalid_client",
                                 "Send the client credentials once, either in the body or with Basic."));
    client_id = percent_decode(decoded->substr(0, colon), true);
    client_secret = percent_decode(decoded->substr(colon + 1), true);
  }
  if (!client_id || !client_secret || client_id->empty() || client_secret->empty())
    return respond(
        oauth_error(*ctx, http::status::unauthorized, "invalid_client", "client_id and client_secret are required."));
  std::vector<std::string> scopes;
  if (auto scope = single("scope")) {
    std::istringstream in{*scope};
    for (std::string s; in >> s;)
      scopes.push_back(s);
  }
  identity.client_credentials().issue(
      std::move(*client_id), std::move(*client_secret), std::move(scopes),
      [ctx, respond](runtime::outcome<runtime::token_grant> result) {
        if (auto* e = failed(result)) {
          if (e->code() == messages::ERROR_CODE_UNAUTHENTICATED)
            return respond(oauth_error(*ctx, http::status::unauthorized, "invalid_client", e->detail()));
          if (e->code() == messages::ERROR_CODE_FORBIDDEN)
            return respond(oauth_error(*ctx, http::status::bad_request, "invalid_scope", e->detail()));
        }
        answer_grant(ctx, respond, http::status::ok, std::move(result));
      });
}

}  // namespace

void add_identity_routes_v1(router& routes, runtime::identity_gateway& identity, request_guard& guard,
                            const runtime::config& cfg) {
  auto* id = &identity;
  auto* g = &guard;
  const route_policy credential_exchange{.who = access::anyone, .rate = rate_class::credential};
  const route_policy signed_in{};
  routes.add(http::verb::post, "/api/v1/users", credential_exchange,
             [id, &cfg](context_ptr ctx, responder r) { register_user(*id, cfg, std::move(ctx), std::move(r)); });
  routes.add(http::verb::get, "/api/v1/users/me", signed_in,
             [id](context_ptr ctx, responder r) { me(*id, std::move(ctx), std::move(r)); });
  routes.add(http::verb::post, "/api/v1/sessions", credential_exchange,
             [id, g, &cfg](context_ptr ctx, responder r) { sign_in(*id, *g, cfg, std::move(ctx), std::move(r)); });
  routes.add(http::verb::post, "/api/v1/sessions/refresh", credential_exchange,
             [id, &cfg](context_ptr ctx, responder r) { refresh(*id, cfg, std::move(ctx), std::move(r)); });
  routes.add(http::verb::delete_, "/api/v1/sessions/current", signed_in,
             [id](context_ptr ctx, responder r) { sign_out(*id, std::move(ctx), std::move(r)); });
  routes.add(http::verb::post, "/api/v1/api-keys", signed_in,
             [id, &cfg](context_ptr ctx, responder r) { create_api_key(*id, cfg, std::move(ctx), std::move(r)); });
  routes.add(http::verb::delete_, "/api/v1/api-keys/{id}", signed_in,
             [id](context_ptr ctx, responder r) { revoke_api_key(*id, std::move(ctx), std::move(r)); });
  routes.add(http::verb::post, "/api/v1/oauth-clients", signed_in,
             [id, &cfg](context_ptr ctx, responder r) { create_client(*id, cfg, std::move(ctx), std::move(r)); });
}

void add_oauth_routes(router& routes, runtime::identity_gateway& identity) {
  auto* id = &identity;
  routes.add(http::verb::post, "/oauth/token", {.who = access::oauth_client, .rate = rate_class::credential},
             [id](context_ptr ctx, responder r) { token(*id, std::move(ctx), std::move(r)); });
  routes.add(http::verb::get, "/.well-known/jwks.json", {.who = access::anyone}, [id](const context_ptr&, responder r) {
    r(json_response(http::status::ok, json::parse(id->jwks_json())));
  });
}

}  // namespace taskflow::edge
