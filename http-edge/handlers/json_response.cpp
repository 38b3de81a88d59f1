#include "http-edge/handlers/json_response.hpp"

namespace taskflow::edge {

http_response json_response(http::status status, const nlohmann::json& body) {
  http_response res{status, 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

}  // namespace taskflow::edge
