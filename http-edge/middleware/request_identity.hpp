// Request id, the first middleware beside the request's trace span (the
// pipeline starts it from the caller's traceparent): every later log line,
// event and reply can be tied back to one request.
#pragma once

#include <string>
#include <string_view>

namespace taskflow::edge {

// The client's X-Request-Id when it is a sane token (1-128 of [A-Za-z0-9._:-]),
// otherwise a fresh UUIDv7.
std::string resolve_request_id(std::string_view client_value);

}  // namespace taskflow::edge
