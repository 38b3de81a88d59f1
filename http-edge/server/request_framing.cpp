#include "http-edge/server/request_framing.hpp"

#include <cstddef>
#include <iterator>
#include <string_view>

#include <boost/beast/core/string.hpp>

#include "http-edge/middleware/header_value.hpp"

namespace taskflow::edge {
namespace {

namespace http = boost::beast::http;

// The transfer codings of every Transfer-Encoding line, in order: chunked is
// our only one, so anything else is refused, and so is chunked twice.
std::optional<std::string> transfer_coding_fault(const http::request_header<>& head) {
  std::size_t codings = 0;
  auto [first, last] = head.equal_range(http::field::transfer_encoding);
  for (auto field = first; field != last; ++field) {
    std::string_view list{field->value().data(), field->value().size()};
    while (true) {
      auto comma = list.find(',');
      auto member = trim_ows(list.substr(0, comma));
      // Parameters (";q=...") belong to the coding; none is acceptable on chunked.
      if (!member.empty()) {
        if (!boost::beast::iequals(boost::beast::string_view{member.data(), member.size()}, "chunked"))
          return "Transfer-Encoding " + std::string{member} + " is not supported; send chunked or Content-Length.";
        ++codings;
      }
      if (comma == std::string_view::npos)
        break;
      list.remove_prefix(comma + 1);
    }
  }
  if (codings == 0)
    return "Transfer-Encoding names no coding.";
  if (codings > 1)
    return "Transfer-Encoding must be chunked, once.";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> framing_fault(const http::request_header<>& head) {
  if (head.count(http::field::transfer_encoding) > 0) {
    if (head.version() < 11)
      return "HTTP/1.0 has no Transfer-Encoding.";
    if (head.count(http::field::content_length) > 0)
      return "A request may carry Transfer-Encoding or Content-Length, not both.";
    if (auto fault = transfer_coding_fault(head))
      return fault;
  }
  auto hosts = head.count(http::field::host);
  if (head.version() >= 11 && hosts == 0)
    return "HTTP/1.1 requests need a Host header.";
  if (hosts > 1)
    return "A request carries one Host header.";
  // Beast compares field names without regard to case.
  for (std::string_view name : {"Authorization", "X-API-Key"})
    if (head.count(boost::beast::string_view{name.data(), name.size()}) > 1)
      return "A request carries one " + std::string{name} + " header; this one has several.";
  return std::nullopt;
}

std::size_t field_count(const http::request_header<>& request) {
  return static_cast<std::size_t>(std::distance(request.begin(), request.end()));
}

std::optional<std::string> trailer_fault(std::size_t fields, const http::request_header<>& request) {
  if (field_count(request) > fields)
    return "This server takes no trailer fields after a chunked body.";
  return std::nullopt;
}

}  // namespace taskflow::edge
