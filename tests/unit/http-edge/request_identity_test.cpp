// X-Request-Id reuse and W3C Trace Context continuation
// (https://www.w3.org/TR/trace-context/#traceparent-header): a caller's trace is
// continued only when its traceparent is exactly valid; anything else starts a
// new trace, and our span id is always fresh.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "http-edge/middleware/request_identity.hpp"
#include "messages/ids/uuid.hpp"

using namespace taskflow;
using edge::continue_trace;
using edge::resolve_request_id;

namespace {

const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string parent_id = "00f067aa0ba902b7";
const std::string valid = "00-" + trace_id + "-" + parent_id + "-01";

bool lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string_view::npos &&
         s.find_first_not_of('0') != std::string_view::npos;
}

// A traceparent was continued when its trace id survived; a fresh random one
// colliding with the sample's is not a realistic outcome.
bool continued(std::string_view traceparent) {
  return continue_trace(traceparent).trace_id == trace_id;
}

}  // namespace

TEST_CASE("a client's sane request id is kept", "[request_identity]") {
  CHECK(resolve_request_id("abc-123") == "abc-123");
  CHECK(resolve_request_id("a") == "a");
  CHECK(resolve_request_id("req:2026.11_24-A") == "req:2026.11_24-A");
  CHECK(resolve_request_id("f47ac10b-58cc-4372-a567-0e02b2c3d479") == "f47ac10b-58cc-4372-a567-0e02b2c3d479");
  CHECK(resolve_request_id(std::string(128, 'x')) == std::string(128, 'x'));
}

TEST_CASE("an unusable request id is replaced by a fresh UUID", "[request_identity]") {
  auto client =
      GENERATE(as<std::string>{}, "", std::string(129, 'x'), "has space", "new\nline", "crlf\r\nX-Evil: 1", "tab\t",
               "semi;colon", "slash/", "quote\"", "<script>", "caf\xC3\xA9", "pct%20", std::string{"nul\0byte", 8});
  CAPTURE(client);
  auto id = resolve_request_id(client);
  CHECK(id != client);
  CHECK(ids::is_uuid(id));
}

TEST_CASE("fresh request ids are unique", "[request_identity]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i)
    seen.insert(resolve_request_id(""));
  CHECK(seen.size() == 1000);
}

TEST_CASE("a valid traceparent is continued with a new span", "[request_identity]") {
  auto ctx = continue_trace(valid);
  CHECK(ctx.trace_id == trace_id);
  CHECK(ctx.flags == "01");
  CHECK(lower_hex(ctx.span_id, 16));
  CHECK(ctx.span_id != parent_id);
  CHECK(ctx.traceparent() == "00-" + trace_id + "-" + ctx.span_id + "-01");
}

TEST_CASE("the caller's trace flags are carried over", "[request_identity]") {
  CHECK(continue_trace("00-" + trace_id + "-" + parent_id + "-00").flags == "00");
  CHECK(continue_trace("00-" + trace_id + "-" + parent_id + "-ff").flags == "ff");
}

TEST_CASE("each hop gets its own span id", "[request_identity]") {
  std::set<std::string> spans;
  for (int i = 0; i < 1000; ++i)
    spans.insert(continue_trace(valid).span_id);
  CHECK(spans.size() == 1000);
}

TEST_CASE("without a traceparent a new sampled trace starts", "[request_identity]") {
  auto ctx = continue_trace("");
  CHECK(lower_hex(ctx.trace_id, 32));
  CHECK(lower_hex(ctx.span_id, 16));
  CHECK(ctx.flags == "01");
  CHECK(ctx.traceparent().size() == 55);
  CHECK(continue_trace("").trace_id != ctx.trace_id);
}

TEST_CASE("an all-zero trace id or parent id is invalid and not continued", "[request_identity]") {
  CHECK_FALSE(continued("00-" + std::string(32, '0') + "-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + std::string(16, '0') + "-01"));
  auto ctx = continue_trace("00-" + std::string(32, '0') + "-" + parent_id + "-01");
  CHECK(lower_hex(ctx.trace_id, 32));
}

TEST_CASE("upper-case hex is invalid and not continued", "[request_identity]") {
  CHECK_FALSE(continued("00-4BF92F3577B34DA6A3CE929D0E0E4736-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-00F067AA0BA902B7-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "-0A"));
  auto ctx = continue_trace("00-" + trace_id + "-" + parent_id + "-0A");
  CHECK(ctx.flags == "01");
}

TEST_CASE("fields of the wrong length are invalid and not continued", "[request_identity]") {
  CHECK_FALSE(continued("00-" + trace_id + "a-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id.substr(1) + "-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "a-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id.substr(1) + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "-1"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "-001"));
  // Same total length, dashes shifted: every field is the wrong size.
  CHECK_FALSE(continued("00-" + trace_id.substr(1) + "-0" + parent_id + "-01"));
}

TEST_CASE("only version 00 in its exact form is continued", "[request_identity]") {
  CHECK_FALSE(continued("01-" + trace_id + "-" + parent_id + "-01"));
  CHECK_FALSE(continued("ff-" + trace_id + "-" + parent_id + "-01"));
  CHECK_FALSE(continued("0-" + trace_id + "-" + parent_id + "-01"));
  CHECK_FALSE(continued(valid + "-extra"));
  CHECK_FALSE(continued(valid + " "));
  CHECK_FALSE(continued(" " + valid));
}

TEST_CASE("wrong separators and non-hex characters are invalid", "[request_identity]") {
  CHECK_FALSE(continued("00_" + trace_id + "-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "_" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "_01"));
  CHECK_FALSE(continued("00-4bf92f3577b34da6a3ce929d0e0e473g-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-00f067aa0ba902b-01-"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "-0g"));
  CHECK_FALSE(continued("00-" + trace_id + "-00f067aa0ba902b\xC3-01"));
}

TEST_CASE("a traceparent with any one character replaced by a non-hex letter is not continued", "[request_identity]") {
  for (std::size_t i = 0; i < valid.size(); ++i) {
    auto corrupted = valid;
    corrupted[i] = 'X';
    CAPTURE(corrupted);
    CHECK_FALSE(continued(corrupted));
  }
}
