// libFuzzer target for request framing: any bytes as what a client sends on
// one connection, read as http_session reads them (Beast's request parser
// with the server's header and body limits, the head first, then
// framing_fault, then the body) for as many pipelined requests as the bytes
// hold. A request let through must be framed one way only: re-serialized
// (with Content-Length) and parsed again, it is the same single request, and
// framing_fault passes it again.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http-edge/server/http_server.hpp"
#include "http-edge/server/request_framing.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;
namespace http = boost::beast::http;

namespace {

using request_parser = http::request_parser<http::string_body>;

// Requests one connection may carry before the harness stops reading: enough
// for pipelining to matter, few enough to keep each input fast.
constexpr int max_requests = 8;

// Feeds `input` to the parser until `done`, an error, or bytes that cannot
// complete the message: then, as when the client closes the connection
// there, the parser is told of the end. Consumed bytes leave `input`.
template <class Done>
boost::beast::error_code feed(request_parser& parser, std::string_view& input, Done done) {
  boost::beast::error_code ec;
  while (!done()) {
    auto used = input.empty() ? 0 : parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    input.remove_prefix(used);
    if (ec == http::error::need_more)
      ec = {};
    if (ec)
      return ec;
    if (used == 0) {
      parser.put_eof(ec);
      if (!ec && !done())
        ec = http::error::end_of_stream;
      return ec;
    }
  }
  return ec;
}

// The request framed by Content-Length. Beast 1.74 writes an empty chunked
// string body as two last-chunks (boostorg/beast#3032), a quirk of its
// serializer, which the edge never uses on a chunked message.
std::string serialized(http::request<http::string_body> req) {
  req.chunked(false);
  req.content_length(req.body().size());
  std::ostringstream out;
  out << req;
  return out.str();
}

void expect_framed_once(const http::request<http::string_body>& req) {
  auto bytes = serialized(req);
  std::string_view rest{bytes};
  request_parser again;
  again.header_limit(std::numeric_limits<std::uint32_t>::max());
  again.body_limit(std::numeric_limits<std::uint64_t>::max());
  auto ec = feed(again, rest, [&] { return again.is_done(); });
  expect(!ec && again.is_done(), "an accepted request re-serializes to a request Beast reads");
  expect(rest.empty(), "an accepted request re-serializes to exactly one request");
  const auto& copy = again.get();
  expect(copy.method_string() == req.method_string() && copy.target() == req.target() &&
             copy.version() == req.version() && copy.body() == req.body(),
         "an accepted request reads back with its method, target, version and body");
  expect(!taskflow::edge::framing_fault(copy), "an accepted request, re-serialized, is accepted again");
}

void expect_head_admissible(const request_parser& parser) {
  const auto& head = parser.get();
  bool has_te = head.count(http::field::transfer_encoding) > 0;
  auto hosts = head.count(http::field::host);
  expect(!has_te || (head.version() >= 11 && head.count(http::field::content_length) == 0),
         "Transfer-Encoding is let through only in HTTP/1.1 and without Content-Length");
  expect(has_te == parser.chunked(), "Transfer-Encoding is let through only when Beast reads the body as chunked");
  expect(hosts == 1 || (head.version() < 11 && hosts == 0), "a request let through names at most one Host");
  expect(head.count("Authorization") <= 1 && head.count("X-API-Key") <= 1,
         "a request let through carries each credential header at most once");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const taskflow::edge::server_limits limits;
  std::string_view input{reinterpret_cast<const char*>(data), size};
  for (int n = 0; n < max_requests && !input.empty(); ++n) {
    request_parser parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    const auto unread = input;
    if (feed(parser, input, [&] { return parser.is_header_done(); }))
      return 0;
    // Beast holds the request line and the field block each to the limit
    // (not their sum), so a head may reach twice --max-header-bytes.
    const auto head = unread.substr(0, unread.size() - input.size());
    const auto request_line = head.find("\r\n") + 2;
    expect(request_line <= limits.max_header_bytes && head.size() - request_line <= limits.max_header_bytes,
           "no request line or field block longer than the header limit is read");
    if (auto fault = taskflow::edge::framing_fault(parser.get())) {
      expect(!fault->empty(), "a refused head says why");
      return 0;  // answered 400; the connection closes
    }
    expect_head_admissible(parser);
    const auto head_fields = taskflow::edge::field_count(parser.get());
    if (feed(parser, input, [&] { return parser.is_done(); }))
      return 0;
    if (taskflow::edge::trailer_fault(head_fields, parser.get()))
      return 0;  // answered 400; the connection closes
    const auto& req = parser.get();
    expect(req.body().size() <= limits.max_body_bytes, "no body longer than the body limit is read");
    if (auto length = parser.content_length())
      expect(req.body().size() == *length, "a body with Content-Length has exactly that length");
    expect_framed_once(req);
    if (!req.keep_alive())
      return 0;
  }
  return 0;
}
