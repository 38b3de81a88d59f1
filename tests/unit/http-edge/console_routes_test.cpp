// The console's routes serve the embedded files with their content type, a
// strong ETag (304 on a match) and the strict CSP; the files are complete
// (every module an import or the page names is embedded) and never parse
// HTML at run time.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "http-edge/admin/console_assets.hpp"
#include "http-edge/admin/console_routes.hpp"
#include "http-edge/middleware/entity_tags.hpp"
#include "tests/unit/support/route_call.hpp"

using namespace taskflow::edge;
using taskflow::testing::get;

namespace {

const embedded_asset* asset(std::string_view name) {
  return find_asset(console_assets(), name);
}

taskflow::runtime::authenticated signed_in(const std::string& role, taskflow::runtime::authenticated::kind via) {
  taskflow::runtime::authenticated who;
  who.principal.set_id("u1");
  who.principal.add_roles(role);
  who.via = via;
  return who;
}

const auto admin = signed_in("admin", taskflow::runtime::authenticated::kind::session);

}  // namespace

TEST_CASE("GET /admin serves the page with a strict CSP and a strong ETag", "[console]") {
  router routes;
  add_console_routes(routes);
  auto page = get(routes, "/admin", {}, admin);
  CHECK(page.response.result() == http::status::ok);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.response.body().find("/admin/assets/app.js") != std::string::npos);
  auto csp = page.header("Content-Security-Policy");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("unsafe-eval") == std::string::npos);
  CHECK(page.header("Cache-Control") == "no-cache");
  auto etag = page.header("ETag");
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');
  CHECK(etag.substr(0, 2) != "W/");

  auto again = get(routes, "/admin", etag, admin);
  CHECK(again.response.result() == http::status::not_modified);
  CHECK(again.response.body().empty());
  CHECK(get(routes, "/admin", "\"other\"", admin).response.result() == http::status::ok);
}

TEST_CASE("GET /admin is the admin role's: 401 to anonymous callers, 403 to others, the page the body of each",
          "[console]") {
  router routes;
  add_console_routes(routes);
  auto page = get(routes, "/admin", {}, admin).response.body();

  auto anonymous = get(routes, "/admin");
  CHECK(anonymous.response.result() == http::status::unauthorized);
  CHECK(anonymous.header("WWW-Authenticate").rfind("Bearer", 0) == 0);
  CHECK(anonymous.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(anonymous.response.body() == page);
  // A browser's revalidation must not turn the 401 into a 304.
  CHECK(get(routes, "/admin", anonymous.header("ETag")).response.result() == http::status::unauthorized);

  auto user = get(routes, "/admin/", {}, signed_in("user", taskflow::runtime::authenticated::kind::session));
  CHECK(user.response.result() == http::status::forbidden);
  CHECK(user.response.body() == page);
  auto key = get(routes, "/admin", {}, signed_in("admin", taskflow::runtime::authenticated::kind::api_key));
  CHECK(key.response.result() == http::status::forbidden);

  // The assets are the same for everyone.
  CHECK(get(routes, "/admin/assets/app.js").response.result() == http::status::ok);
}

TEST_CASE("/admin/ is the same page as /admin", "[console]") {
  router routes;
  add_console_routes(routes);
  auto plain = get(routes, "/admin", {}, admin);
  auto slashed = get(routes, "/admin/", {}, admin);
  CHECK(slashed.response.result() == http::status::ok);
  CHECK(slashed.header("ETag") == plain.header("ETag"));
  CHECK(slashed.response.body() == plain.response.body());
}

TEST_CASE("assets come with their content types; unknown names are 404", "[console]") {
  router routes;
  add_console_routes(routes);
  CHECK(get(routes, "/admin/assets/app.js").header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(get(routes, "/admin/assets/style.css").header("Content-Type") == "text/css; charset=utf-8");
  CHECK(get(routes, "/admin/assets/icon.svg").header("Content-Type") == "image/svg+xml");
  CHECK(get(routes, "/admin/assets/nope.js").response.result() == http::status::not_found);
  CHECK(get(routes, "/admin/assets/..").response.result() == http::status::not_found);
}

TEST_CASE("If-None-Match: lists, weak tags and * match; others do not", "[console]") {
  CHECK(if_none_match_names("\"a\"", "\"a\""));
  CHECK(if_none_match_names("\"x\", W/\"a\"", "\"a\""));
  CHECK(if_none_match_names(" * ", "\"a\""));
  CHECK_FALSE(if_none_match_names("", "\"a\""));
  CHECK_FALSE(if_none_match_names("\"b\"", "\"a\""));
  CHECK_FALSE(if_none_match_names("a", "\"a\""));
}

TEST_CASE("every module the console imports is embedded, and none parses HTML", "[console]") {
  REQUIRE(asset("index.html"));
  const std::regex imported{R"re(from '\./([a-z_]+\.js)')re"};
  const std::regex html_sinks{R"re(innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function)re"};
  for (const auto& a : console_assets()) {
    INFO(a.name);
    CHECK(a.etag.size() == 34);
    std::string body{a.body};
    CHECK_FALSE(std::regex_search(body, html_sinks));
    for (std::sregex_iterator it{body.begin(), body.end(), imported}, end; it != end; ++it) {
      INFO("imports " << (*it)[1]);
      CHECK(asset((*it)[1].str()));
    }
  }
}
