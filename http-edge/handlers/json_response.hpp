// Builds JSON answers in the API's media type.
#pragma once

#include <nlohmann/json.hpp>

#include "http-edge/server/http_types.hpp"

namespace taskflow::edge {

http_response json_response(http::status status, const nlohmann::json& body);

}  // namespace taskflow::edge
