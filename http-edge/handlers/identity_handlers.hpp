// The Identity section of API.md: users, sessions, API keys, plus the admin's
// OAuth2 client registration. Handlers check what HTTP owns and hand the rest
// to the runtime's identity gateway.
#pragma once

#include "http-edge/auth/request_guard.hpp"
#include "http-edge/routing/router.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/identity_gateway.hpp"

namespace taskflow::edge {

void add_identity_routes_v1(router& routes, runtime::identity_gateway& identity, request_guard& guard,
                            const runtime::config& cfg);

// POST /oauth/token (RFC 6749 §4.4) and GET /.well-known/jwks.json.
void add_oauth_routes(router& routes, runtime::identity_gateway& identity);

}  // namespace taskflow::edge
