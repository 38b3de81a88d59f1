#include "http-edge/admin/console_routes.hpp"

#include <algorithm>

#include "http-edge/admin/console_assets.hpp"
#include "http-edge/middleware/entity_tags.hpp"
#include "http-edge/problem/problem.hpp"

namespace taskflow::edge {
namespace {

// connect-src 'self' covers the console's fetch() calls (sessions, admin API,
// the event stream read through fetch, /metrics). No inline script or style
// anywhere, so neither needs 'unsafe-inline'; and Trusted Types with no
// policy at all makes every HTML-parsing sink (innerHTML and friends) throw,
// so server-made strings can only ever become text.
constexpr std::string_view console_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; "
    "trusted-types 'none'";

const console_asset* find_asset(std::string_view name) {
  auto assets = console_assets();
  auto it = std::find_if(assets.begin(), assets.end(), [&](const console_asset& a) { return a.name == name; });
  return it == assets.end() ? nullptr : &*it;
}

void serve(const console_asset& asset, request_context& ctx, const responder& respond) {
  // The pipeline's defaults (no-store, a CSP for JSON) suit API answers; these
  // headers replace them for the console's own files.
  ctx.response_headers.emplace_back("Content-Security-Policy", std::string{console_policy});
  // Revalidate every time: the names carry no version, so a new build must
  // show at once; the ETag makes the check a 304.
  ctx.response_headers.emplace_back("Cache-Control", "no-cache");
  ctx.response_headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  ctx.response_headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
  auto condition = ctx.request[http::field::if_none_match];
  if (if_none_match_names({condition.data(), condition.size()}, asset.etag)) {
    http_response res{http::status::not_modified, ctx.request.version()};
    res.set(http::field::etag, std::string{asset.etag});
    return respond(std::move(res));
  }
  http_response res{http::status::ok, ctx.request.version()};
  res.set(http::field::content_type, std::string{asset.content_type});
  res.set(http::field::etag, std::string{asset.etag});
  res.body() = std::string{asset.body};
  respond(std::move(res));
}

}  // namespace

// The page is public: it signs in through the sessions API, and the admin API
// behind it is what checks the role.
void add_console_routes(router& routes) {
  const route_policy assets{.who = access::anyone, .rate = rate_class::unlimited};
  // With or without the slash people type after it.
  for (const auto* page : {"/admin", "/admin/"})
    routes.add(http::verb::get, page, assets, [](std::shared_ptr<request_context> ctx, responder respond) {
      serve(*find_asset("index.html"), *ctx, respond);
    });
  routes.add(http::verb::get, "/admin/assets/{name}", assets,
             [](std::shared_ptr<request_context> ctx, responder respond) {
               const auto& name = ctx->path_params["name"];
               const auto* asset = name == "index.html" ? nullptr : find_asset(name);
               if (!asset)
                 return respond(render(not_found("The console has no asset " + name + "."), ctx->path,
                                       ctx->request.version(), ctx->request.keep_alive()));
               serve(*asset, *ctx, respond);
             });
}

}  // namespace taskflow::edge
