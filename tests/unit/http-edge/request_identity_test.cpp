// X-Request-Id reuse: a client's sane id is kept, anything else replaced.
// (Trace context continuation: tests/unit/messages/trace_span_test.cpp.)
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "http-edge/middleware/request_identity.hpp"
#include "messages/ids/uuid.hpp"

using namespace taskflow;
using edge::resolve_request_id;

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
