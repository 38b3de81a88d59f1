// What a route demands of a request before its handler runs, declared where the
// route is registered (in the manner of userver's per-handler config) and read
// by the request guard and the idempotency middleware once the request has
// matched. The defaults are the strict ones: a route that says nothing needs a
// credential and counts against the client's rate limit.
#pragma once

#include <string_view>

namespace taskflow::edge {

enum class access {
  anyone,         // no credential needed (one that is sent is still checked)
  signed_in,      // any session, API key or client token
  admin_session,  // an administrator signed in with a session, never a key
  // The OAuth token endpoint: the client authenticates in the request itself
  // (HTTP Basic or the form, RFC 6749 §2.3.1) and the handler checks it, so
  // the guard leaves the Authorization header alone.
  oauth_client,
};

enum class rate_class {
  // Probes, scrapers and static assets: a limit meant for clients must never
  // turn a health check away.
  unlimited,
  client,  // per principal, or per IP when anonymous
  // Endpoints that take a password or a secret: the client budget, and a
  // smaller one per IP on top against guessing.
  credential,
};

struct route_policy {
  access who = access::signed_in;
  std::string_view scope;   // a scope the principal must hold; empty for none
  bool idempotent = false;  // an Idempotency-Key makes retries answer the first result
  rate_class rate = rate_class::client;
};

}  // namespace taskflow::edge
