// The routes of a page built from embedded files: GET on each of its page
// paths answers its index.html, GET <assets>/{name} its other files. Served
// to anyone and never rate limited (the files hold no data), with a strong
// ETag to revalidate against and the site's own Content-Security-Policy in
// place of the pipeline's policy for JSON. A site may give its page a
// status by who asks (the console: 401 to anonymous callers); the page
// itself is the body whatever the status, since it is how a browser signs in.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http-edge/embedded/embedded_asset.hpp"
#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/router.hpp"

namespace taskflow::edge {

struct asset_site {
  std::span<const embedded_asset> files;  // one of them named index.html
  std::vector<std::string> pages;         // e.g. "/admin", "/admin/"
  std::string assets_prefix;              // e.g. "/admin/assets"
  std::string_view content_security_policy;
  std::string title;  // names the site in a 404, e.g. "The console"
  // The page's status for this caller, with any headers that go with it;
  // none: 200 for everyone.
  std::function<std::optional<problem>(const request_context&)> page_gate;
};

void add_asset_routes(router& routes, const asset_site& site);

}  // namespace taskflow::edge
