// The OpenAPI 3.1 documents the edge serves, compiled into the binary from
// http-edge/openapi/*.json so the served contract is the reviewed file.
#pragma once

#include <string_view>

namespace taskflow::edge {

std::string_view openapi_v1();
std::string_view openapi_v2();

}  // namespace taskflow::edge
