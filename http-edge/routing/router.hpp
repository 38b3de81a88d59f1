// Maps method + path onto a handler and the policy it was registered with.
// Patterns are literal segments and "{name}" captures; a path that matches
// with the wrong method yields the Allow list for a 405.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http-edge/routing/request_context.hpp"
#include "http-edge/routing/route_policy.hpp"
#include "http-edge/server/http_types.hpp"

namespace taskflow::edge {

using responder = std::function<void(http_response)>;
using handler = std::function<void(std::shared_ptr<request_context>, responder)>;

struct endpoint {
  route_policy policy;
  handler run;
};

struct route_match {
  const endpoint* target = nullptr;  // null: no route for this method
  std::string pattern;               // set when the path matched any route
  std::map<std::string, std::string> params;
  std::string allow;  // methods the path supports, for 405
};

struct route_entry {
  std::string method;
  std::string pattern;
  route_policy policy;
};

class router {
public:
  // One registration is all a route needs: the middleware reads its policy.
  void add(http::verb method, std::string pattern, route_policy policy, handler h);
  route_match match(http::verb method, std::string_view path) const;
  // Every registered route, for contract tests against the OpenAPI spec.
  std::vector<route_entry> routes() const;

private:
  struct route {
    std::string pattern;
    std::vector<std::string> segments;
    std::map<http::verb, endpoint> handlers;
  };
  std::vector<route> routes_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace taskflow::edge
