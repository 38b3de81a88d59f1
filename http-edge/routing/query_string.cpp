#include "http-edge/routing/query_string.hpp"

#include <algorithm>
#include <charconv>

namespace taskflow::edge {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return std::nullopt;
      int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<split_target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/')
    return std::nullopt;
  split_target out;
  auto q = target.find('?');
  auto raw_path = target.substr(0, q);
  // Fragments never reach a server; a '#' here is a malformed target.
  if (raw_path.find('#') != std::string_view::npos)
    return std::nullopt;
  auto path = percent_decode(raw_path, false);
  if (!path)
    return std::nullopt;
  // Decoding happens before the router splits on '/', so an escaped slash
  // would become a separator; no resource of ours has one in a segment.
  // Control bytes have no business in a path either.
  auto decoded_slashes = std::count(path->begin(), path->end(), '/');
  auto raw_slashes = std::count(raw_path.begin(), raw_path.end(), '/');
  if (decoded_slashes != raw_slashes ||
      std::any_of(path->begin(), path->end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; }))
    return std::nullopt;
  out.path = std::move(*path);
  if (q == std::string_view::npos)
    return out;
  auto query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!name || !value)
      return std::nullopt;
    out.query.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

std::optional<int> parse_int_in_range(std::string_view text, int min, int max) {
  if (text.empty() || text.front() < '0' || text.front() > '9')
    return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}

}  // namespace taskflow::edge
