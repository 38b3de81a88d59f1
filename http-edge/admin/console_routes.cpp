#include "http-edge/admin/console_routes.hpp"

#include "http-edge/admin/console_assets.hpp"
#include "http-edge/auth/request_guard.hpp"
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

// The console is the admin role's, as the admin API is: 401 without a
// credential, 403 for anyone but an admin's session. A browser opening
// /admin sends no Bearer token, so it always gets the 401, and its body is
// the page, which signs in through the sessions API and sends the token on
// its own calls; the page holds no data, the admin API behind it does.
std::optional<problem> console_gate(const request_context& ctx) {
  if (!ctx.identity)
    return unauthorized("The console is for administrators: sign in on this page.", "");
  if (!is_admin_session(ctx))
    return forbidden("The console is for administrators signed in with a session.");
  return std::nullopt;
}

}  // namespace

// With or without the slash people type after /admin; the assets are
// public, being the same for everyone.
void add_console_routes(router& routes) {
  add_asset_routes(routes, {.files = console_assets(),
                            .pages = {"/admin", "/admin/"},
                            .assets_prefix = "/admin/assets",
                            .content_security_policy = console_policy,
                            .title = "The console",
                            .page_gate = console_gate});
}

}  // namespace taskflow::edge
