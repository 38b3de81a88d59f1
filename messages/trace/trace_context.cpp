#include "messages/trace/trace_context.hpp"

#include <algorithm>
#include <random>

namespace taskflow::trace {
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
  // An all-zero id is invalid; 2^-64 is not zero.
  if (std::all_of(out.begin(), out.end(), [](char c) { return c == '0'; }))
    out.back() = '1';
  return out;
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool all_zero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

int hex_value(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

}  // namespace

std::string context::traceparent() const {
  return "00-" + trace_id + "-" + span_id + (sampled ? "-01" : "-00");
}

std::optional<context> parse_traceparent(std::string_view tp) {
  if (tp.size() != 55 || tp.substr(0, 3) != "00-" || tp[35] != '-' || tp[52] != '-')
    return std::nullopt;
  auto trace = tp.substr(3, 32), parent = tp.substr(36, 16), flags = tp.substr(53, 2);
  if (!is_lower_hex(trace) || !is_lower_hex(parent) || !is_lower_hex(flags) || all_zero(trace) || all_zero(parent))
    return std::nullopt;
  return context{std::string{trace}, std::string{parent}, (hex_value(flags[1]) & 1) != 0};
}

std::string new_trace_id() {
  return random_hex(32);
}

std::string new_span_id() {
  return random_hex(16);
}

}  // namespace taskflow::trace
