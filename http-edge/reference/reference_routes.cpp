#include "http-edge/reference/reference_routes.hpp"

#include "http-edge/embedded/asset_routes.hpp"
#include "http-edge/reference/reference_assets.hpp"

namespace taskflow::edge {
namespace {

// The console's policy, less what Swagger UI cannot run without: img-src
// data: for the icons swagger-ui.css draws as data: URIs, and no Trusted
// Types, because React writes the documents' Markdown (sanitized by
// DOMPurify) through innerHTML as plain strings. style-src stays 'self':
// reference.js drops the one inline <style> (the logo's). connect-src 'self'
// covers the documents and "Try it out", which only ever call this node.
constexpr std::string_view reference_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace

void add_reference_routes(router& routes) {
  add_asset_routes(routes, {.files = reference_assets(),
                            .pages = {"/swagger", "/swagger/", "/docs"},
                            .assets_prefix = "/swagger/assets",
                            .content_security_policy = reference_policy,
                            .title = "The API reference"});
}

}  // namespace taskflow::edge
