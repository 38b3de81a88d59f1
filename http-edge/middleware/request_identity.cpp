#include "http-edge/middleware/request_identity.hpp"

#include <algorithm>
#include <cctype>
#include <random>

#include "messages/ids/uuid.hpp"

namespace taskflow::edge {
namespace {

std::string random_hex(std::size_t digits) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digits);
  while (out.size() < digits) {
    auto bits = rng();
    for (int i = 0; i < 16 && out.size() < digits; ++i, bits >>= 4)
      out += hex[bits & 0xF];
  }
  return out;
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool all_zero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

}  // namespace

std::string resolve_request_id(std::string_view client_value) {
  bool sane = !client_value.empty() && client_value.size() <= 128 &&
              std::all_of(client_value.begin(), client_value.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == ':';
              });
  return sane ? std::string{client_value} : ids::new_uuid_v7();
}

trace_context continue_trace(std::string_view tp) {
  trace_context ctx;
  ctx.span_id = random_hex(16);
  // 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>
  if (tp.size() == 55 && tp.substr(0, 3) == "00-" && tp[35] == '-' && tp[52] == '-') {
    auto trace = tp.substr(3, 32), parent = tp.substr(36, 16), flags = tp.substr(53, 2);
    if (is_lower_hex(trace) && is_lower_hex(parent) && is_lower_hex(flags) && !all_zero(trace) && !all_zero(parent)) {
      ctx.trace_id = std::string{trace};
      ctx.flags = std::string{flags};
      return ctx;
    }
  }
  ctx.trace_id = random_hex(32);
  return ctx;
}

}  // namespace taskflow::edge
