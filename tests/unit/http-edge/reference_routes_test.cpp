// The API reference's routes: one page at /swagger, /swagger/ and /docs,
// under a CSP that allows no inline or evaluated script and no framing; every
// file the page names is embedded; the page reaches every API version's
// OpenAPI document. Holds for a build without npm too, whose page only links
// the documents.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "http-edge/reference/reference_assets.hpp"
#include "http-edge/reference/reference_routes.hpp"
#include "http-edge/versions/api_versions.hpp"
#include "tests/unit/support/route_call.hpp"

using namespace taskflow::edge;
using taskflow::testing::get;

TEST_CASE("/swagger, /swagger/ and /docs serve one page under the reference's CSP", "[reference]") {
  router routes;
  add_reference_routes(routes);
  auto page = get(routes, "/swagger");
  CHECK(page.response.result() == http::status::ok);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  auto csp = page.header("Content-Security-Policy");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("script-src 'self';") != std::string::npos);
  CHECK(csp.find("connect-src 'self';") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-eval") == std::string::npos);
  for (const auto* other : {"/swagger/", "/docs"}) {
    INFO(other);
    auto same = get(routes, other);
    CHECK(same.response.result() == http::status::ok);
    CHECK(same.header("ETag") == page.header("ETag"));
    CHECK(same.header("Content-Security-Policy") == csp);
  }
  CHECK(get(routes, "/swagger", page.header("ETag")).response.result() == http::status::not_modified);
}

TEST_CASE("every file the reference page names is embedded and served", "[reference]") {
  router routes;
  add_reference_routes(routes);
  auto page = get(routes, "/swagger").response.body();
  const std::regex named{R"re(/swagger/assets/([A-Za-z0-9_.-]+))re"};
  for (std::sregex_iterator it{page.begin(), page.end(), named}, end; it != end; ++it) {
    INFO((*it)[1]);
    auto file = get(routes, (*it)[0].str());
    CHECK(file.response.result() == http::status::ok);
    CHECK(file.header("Content-Security-Policy") == get(routes, "/swagger").header("Content-Security-Policy"));
  }
  CHECK(get(routes, "/swagger/assets/nope.js").response.result() == http::status::not_found);
  CHECK(get(routes, "/swagger/assets/index.html").response.result() == http::status::not_found);
}

TEST_CASE("the reference reaches every API version's document", "[reference]") {
  std::string all;
  for (const auto& file : reference_assets())
    all.append(file.body);
  for (const auto& version : api_versions()) {
    auto document = "/api/v" + std::to_string(version.number) + "/openapi.json";
    INFO(document);
    CHECK(all.find(document) != std::string::npos);
  }
}
