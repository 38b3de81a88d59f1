#include "http-edge/handlers/landing_page.hpp"

#include <string>

#include "http-edge/versions/api_versions.hpp"

namespace taskflow::edge {
namespace {

// Plain links, no script and no style: the pipeline's default-src 'none'
// policy applies to it unchanged.
std::string landing_html() {
  std::string page =
      "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>TaskFlow</title></head>\n"
      "<body>\n<h1>TaskFlow</h1>\n<ul>\n"
      "  <li><a href=\"/swagger\">API reference</a> (try the API from the browser)</li>\n"
      "  <li><a href=\"/admin\">Admin console</a> (sign in as an admin)</li>\n";
  for (const auto& version : api_versions()) {
    auto n = std::to_string(version.number);
    page.append("  <li><a href=\"/api/v").append(n).append("/openapi.json\">API v").append(n);
    page.append(" (OpenAPI 3.1)</a></li>\n");
  }
  page.append(
      "  <li><a href=\"/healthz\">/healthz</a> and <a href=\"/readyz\">/readyz</a></li>\n"
      "  <li><a href=\"/metrics\">/metrics</a> (Prometheus)</li>\n"
      "</ul>\n</body>\n</html>\n");
  return page;
}

}  // namespace

void add_landing_route(router& routes) {
  routes.add(http::verb::get, "/", {.who = access::anyone, .rate = rate_class::unlimited},
             [page = landing_html()](const std::shared_ptr<request_context>&, const responder& respond) {
               http_response res{http::status::ok, 11};
               res.set(http::field::content_type, "text/html; charset=utf-8");
               res.body() = page;
               respond(std::move(res));
             });
}

}  // namespace taskflow::edge
