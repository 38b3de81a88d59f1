// W3C Trace Context (traceparent, version 00): which trace a piece of work
// belongs to, the span that caused it, and whether the trace is sampled.
// It travels in HTTP and gRPC headers, in every command and event, and in the
// NATS headers of a published event.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace taskflow::trace {

struct context {
  std::string trace_id;  // 32 lower-case hex digits, not all zero
  std::string span_id;   // 16 lower-case hex digits, not all zero
  bool sampled = false;

  // "00-<trace id>-<span id>-<01 or 00>"
  std::string traceparent() const;
};

// Nothing when `traceparent` is not a valid version-00 header.
std::optional<context> parse_traceparent(std::string_view traceparent);

std::string new_trace_id();
std::string new_span_id();

}  // namespace taskflow::trace
