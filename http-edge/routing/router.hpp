// Maps method + path onto a handler. Patterns are literal segments and
// "{name}" captures; a path that matches with the wrong method yields the
// Allow list for a 405.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http-edge/routing/request_context.hpp"
#include "http-edge/server/http_types.hpp"

namespace taskflow::edge {

using responder = std::function<void(http_response)>;
using handler = std::function<void(std::shared_ptr<request_context>, responder)>;

struct route_match {
  const handler* target = nullptr;  // null: no route for this method
  std::string pattern;              // set when the path matched any route
  std::map<std::string, std::string> params;
  std::string allow;  // methods the path supports, for 405
};

class router {
public:
  void add(http::verb method, std::string pattern, handler h);
  route_match match(http::verb method, std::string_view path) const;
  // Every (method, pattern) pair, for contract tests against the OpenAPI spec.
  std::vector<std::pair<std::string, std::string>> routes() const;

private:
  struct route {
    std::string pattern;
    std::vector<std::string> segments;
    std::map<http::verb, handler> handlers;
  };
  std::vector<route> routes_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace taskflow::edge
