// Runs a GET through a router's matched handler, as the pipeline would, and
// keeps the response with the headers the handler added to the context (the
// pipeline merges those into the response; here they are kept apart).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http-edge/routing/router.hpp"

namespace taskflow::testing {

struct route_answer {
  edge::http_response response;
  std::vector<std::pair<std::string, std::string>> extra_headers;

  std::string header(const std::string& name) const {
    for (const auto& [k, v] : extra_headers)
      if (k == name)
        return v;
    return std::string{response[name]};
  }
};

// `as`: the credential that checked out, if any.
inline route_answer get(const edge::router& routes, const std::string& path, const std::string& if_none_match = {},
                        std::optional<runtime::authenticated> as = std::nullopt) {
  namespace http = edge::http;
  auto m = routes.match(http::verb::get, path);
  REQUIRE(m.target);
  auto ctx = std::make_shared<edge::request_context>();
  ctx->request = edge::http_request{http::verb::get, path, 11};
  if (!if_none_match.empty())
    ctx->request.set(http::field::if_none_match, if_none_match);
  ctx->path = path;
  ctx->path_params = m.params;
  if (as) {
    ctx->principal = as->principal;
    ctx->identity = std::move(as);
  }
  route_answer out;
  m.target->run(ctx, [&](edge::http_response res) { out.response = std::move(res); });
  out.extra_headers = ctx->response_headers;
  return out;
}

}  // namespace taskflow::testing
