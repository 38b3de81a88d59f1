#include "messages/common/text_checks.hpp"

#include <algorithm>

namespace taskflow::text {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::size_t utf8_length(std::string_view text) {
  // Continuation bytes (10xxxxxx) do not start a code point.
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace taskflow::text
