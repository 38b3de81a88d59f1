// Request heads whose framing or credentials two readers could read
// differently (RFC 9112 §3.2, §6.1, §6.3), refused before any body is read.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "http-edge/server/request_framing.hpp"

namespace http = boost::beast::http;
using taskflow::edge::framing_fault;

namespace {

http::request_header<> head(std::vector<std::pair<std::string, std::string>> fields, unsigned version = 11) {
  http::request_header<> h;
  h.method(http::verb::post);
  h.target("/api/v1/tasks");
  h.version(version);
  for (auto& [name, value] : fields)
    h.insert(name, value);
  return h;
}

}  // namespace

TEST_CASE("a Transfer-Encoding other than one final chunked is refused", "[request_framing]") {
  for (const auto* te : {"identity", "gzip", "xchunked", "chunked, identity", "chunked, chunked", "gzip, chunked",
                         "chunked;ext=1", ",", ""}) {
    INFO(te);
    CHECK(framing_fault(head({{"Host", "x"}, {"Transfer-Encoding", te}})));
  }
  CHECK(framing_fault(head({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "identity"}})));
}

TEST_CASE("chunked alone, in any case and with list whitespace, is fine", "[request_framing]") {
  for (const auto* te : {"chunked", "Chunked", " chunked ", "chunked,", ", chunked"}) {
    INFO(te);
    CHECK_FALSE(framing_fault(head({{"Host", "x"}, {"Transfer-Encoding", te}})));
  }
  CHECK_FALSE(framing_fault(head({{"Host", "x"}, {"Content-Length", "5"}})));
  CHECK_FALSE(framing_fault(head({{"Host", "x"}})));
}

TEST_CASE("Transfer-Encoding beside Content-Length, or in HTTP/1.0, is faulty framing", "[request_framing]") {
  CHECK(framing_fault(head({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})));
  CHECK(framing_fault(head({{"Transfer-Encoding", "chunked"}}, 10)));
}

TEST_CASE("HTTP/1.1 needs exactly one Host; HTTP/1.0 may have none", "[request_framing]") {
  CHECK(framing_fault(head({})));
  CHECK(framing_fault(head({{"Host", "a"}, {"Host", "b"}})));
  CHECK(framing_fault(head({{"Host", "a"}, {"host", "a"}})));
  CHECK_FALSE(framing_fault(head({}, 10)));
}

TEST_CASE("a credential given twice is refused, whatever the spelling", "[request_framing]") {
  auto fault = framing_fault(head({{"Host", "x"}, {"Authorization", "Bearer a"}, {"authorization", "Bearer b"}}));
  REQUIRE(fault);
  CHECK(fault->find("Authorization") != std::string::npos);
  CHECK(framing_fault(head({{"Host", "x"}, {"X-API-Key", "a"}, {"x-api-key", "b"}})));
  CHECK_FALSE(framing_fault(head({{"Host", "x"}, {"Authorization", "Bearer a"}, {"X-API-Key", "b"}})));
}
