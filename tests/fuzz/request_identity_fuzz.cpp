// libFuzzer target for the trace context a request's span continues and for
// resolve_request_id: any bytes as a traceparent or X-Request-Id header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http-edge/middleware/request_identity.hpp"
#include "messages/trace/span.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

namespace {

bool lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value{reinterpret_cast<const char*>(data), size};
  using taskflow::trace::span;
  const auto ctx = span::start("HTTP", taskflow::trace::kind::server, value).ctx();
  expect(lower_hex(ctx.trace_id, 32) && ctx.trace_id.find_first_not_of('0') != std::string::npos,
         "the trace id is 32 lower-case hex digits, not all zero");
  expect(lower_hex(ctx.span_id, 16) && ctx.span_id.find_first_not_of('0') != std::string::npos,
         "the span id is 16 lower-case hex digits, not all zero");
  if (size >= 35 && ctx.trace_id == value.substr(3, 32))
    expect(size == 55, "only a 55-character traceparent is continued");
  expect(span::start("HTTP", taskflow::trace::kind::server, ctx.traceparent()).ctx().trace_id == ctx.trace_id,
         "our own traceparent is continued by the next hop");

  const auto id = taskflow::edge::resolve_request_id(value);
  expect(!id.empty() && id.size() <= 128, "a request id is 1 to 128 characters");
  return 0;
}
