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

bool has_control_characters(std::string_view text, bool line_breaks) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      if (!(line_breaks && (c == '\t' || c == '\n' || c == '\r')))
        return true;
    } else if (c == 0xC2 && i + 1 < text.size()) {
      // U+0080..U+009F, the C1 controls, are C2 80..C2 9F in UTF-8.
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F)
        return true;
    }
  }
  return false;
}

}  // namespace taskflow::text
