#include "http-edge/embedded/asset_routes.hpp"

#include "http-edge/middleware/entity_tags.hpp"
#include "http-edge/problem/problem.hpp"

namespace taskflow::edge {
namespace {

void serve(const embedded_asset& asset, std::string_view content_security_policy, request_context& ctx,
           const responder& respond, const std::optional<problem>& refused = std::nullopt) {
  ctx.response_headers.emplace_back("Content-Security-Policy", std::string{content_security_policy});
  // Revalidate every time: the names carry no version, so a new build must
  // show at once; the ETag makes the check a 304.
  ctx.response_headers.emplace_back("Cache-Control", "no-cache");
  ctx.response_headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  ctx.response_headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
  auto condition = ctx.request[http::field::if_none_match];
  if (!refused && if_none_match_names({condition.data(), condition.size()}, asset.etag)) {
    http_response res{http::status::not_modified, ctx.request.version()};
    res.set(http::field::etag, std::string{asset.etag});
    return respond(std::move(res));
  }
  http_response res{refused ? refused->status : http::status::ok, ctx.request.version()};
  if (refused)
    for (const auto& [name, value] : refused->headers)
      res.set(name, value);
  res.set(http::field::content_type, std::string{asset.content_type});
  res.set(http::field::etag, std::string{asset.etag});
  res.body() = std::string{asset.body};
  respond(std::move(res));
}

}  // namespace

void add_asset_routes(router& routes, const asset_site& site) {
  const route_policy assets{.who = access::anyone, .rate = rate_class::unlimited};
  const auto* index = find_asset(site.files, "index.html");
  for (const auto& page : site.pages)
    routes.add(http::verb::get, page, assets,
               [index, csp = site.content_security_policy, gate = site.page_gate](std::shared_ptr<request_context> ctx,
                                                                                  responder respond) {
                 serve(*index, csp, *ctx, respond, gate ? gate(*ctx) : std::nullopt);
               });
  routes.add(http::verb::get, site.assets_prefix + "/{name}", assets,
             [files = site.files, csp = site.content_security_policy, title = site.title](
                 std::shared_ptr<request_context> ctx, responder respond) {
               const auto& name = ctx->path_params["name"];
               // The page has its own paths; one name for each file.
               const auto* asset = name == "index.html" ? nullptr : find_asset(files, name);
               if (!asset)
                 return respond(render(not_found(title + " has no asset " + name + "."), ctx->path,
                                       ctx->request.version(), ctx->request.keep_alive()));
               serve(*asset, csp, *ctx, respond);
             });
}

}  // namespace taskflow::edge
