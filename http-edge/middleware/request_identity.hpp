// Request id and W3C trace context (traceparent), the first middleware: every
// later log line, event and reply can be tied back to one request.
#pragma once

#include <string>
#include <string_view>

namespace taskflow::edge {

// The client's X-Request-Id when it is a sane token (1-128 of [A-Za-z0-9._:-]),
// otherwise a fresh UUIDv7.
std::string resolve_request_id(std::string_view client_value);

struct trace_context {
  std::string trace_id;  // 32 hex digits
  std::string span_id;   // 16 hex digits, ours for this hop
  std::string flags = "01";
  std::string traceparent() const { return "00-" + trace_id + "-" + span_id + "-" + flags; }
};

// Continues the caller's trace when `traceparent` is valid (version 00 form);
// starts a new trace otherwise. The span id is always new.
trace_context continue_trace(std::string_view traceparent);

}  // namespace taskflow::edge
