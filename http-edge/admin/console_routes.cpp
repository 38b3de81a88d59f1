#include "http-edge/admin/console_routes.hpp"

#include "http-edge/admin/console_assets.hpp"
#include "http-edge/embedded/asset_routes.hpp"

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

}  // namespace

// The page is public: it signs in through the sessions API, and the admin API
// behind it is what checks the role. With or without the slash people type
// after /admin.
void add_console_routes(router& routes) {
  add_asset_routes(routes, {.files = console_assets(),
                            .pages = {"/admin", "/admin/"},
                            .assets_prefix = "/admin/assets",
                            .content_security_policy = console_policy,
                            .title = "The console"});
}

}  // namespace taskflow::edge
