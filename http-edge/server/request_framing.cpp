#include "http-edge/server/request_framing.hpp"

#include <cstddef>
#include <string_view>

#include <boost/beast/core/string.hpp>

#include "http-edge/middleware/header_value.hpp"

namespace taskflow::edge {
namespace {

namespace http = boost::beast::http;

std::size_t count_of(const http::request_header<>& head, std::string_view name) {
  std::size_t n = 0;
  for (const auto& field : head)
    if (boost::beast::iequals(field.name_string(), boost::beast::string_view{name.data(), name.size()}))
      ++n;
  return n;
}

// The transfer codings of every Transfer-Encoding line, in order, checked:
// nullopt when they are exactly one `chunked`, and last; our only coding.
std::optional<std::string> transfer_coding_fault(const http::request_header<>& head) {
  std::size_t codings = 0;
  std::size_t chunked_at = 0;
  std::size_t chunked_count = 0;
  for (const auto& field : head) {
    if (field.name() != http::field::transfer_encoding)
      continue;
    std::string_view list{field.value().data(), field.value().size()};
    while (true) {
      auto comma = list.find(',');
      auto member = trim_ows(list.substr(0, comma));
      // Parameters (";q=...") belong to the coding; none is acceptable on chunked.
      if (!member.empty()) {
        ++codings;
        if (boost::beast::iequals(boost::beast::string_view{member.data(), member.size()}, "chunked")) {
          ++chunked_count;
          chunked_at = codings;
        } else {
          return "Transfer-Encoding " + std::string{member} + " is not supported; send chunked or Content-Length.";
        }
      }
      if (comma == std::string_view::npos)
        break;
      list.remove_prefix(comma + 1);
    }
  }
  if (codings == 0)
    return "Transfer-Encoding names no coding.";
  if (chunked_count > 1 || chunked_at != codings)
    return "Transfer-Encoding must be chunked, once.";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> framing_fault(const http::request_header<>& head) {
  if (count_of(head, "Transfer-Encoding") > 0) {
    if (head.version() < 11)
      return "HTTP/1.0 has no Transfer-Encoding.";
    if (count_of(head, "Content-Length") > 0)
      return "A request may carry Transfer-Encoding or Content-Length, not both.";
    if (auto fault = transfer_coding_fault(head))
      return fault;
  }
  auto hosts = count_of(head, "Host");
  if (head.version() >= 11 && hosts == 0)
    return "HTTP/1.1 requests need a Host header.";
  if (hosts > 1)
    return "A request carries one Host header.";
  for (std::string_view name : {"Authorization", "X-API-Key"})
    if (count_of(head, name) > 1)
      return "A request carries one " + std::string{name} + " header; this one has several.";
  return std::nullopt;
}

}  // namespace taskflow::edge
