// What the field rules of every aggregate ask of a text: whether it says
// anything, and how long it is as a person counts (code points, not bytes).
#pragma once

#include <cstddef>
#include <string_view>

namespace taskflow::text {

// Empty, or only spaces, tabs and line breaks.
bool is_blank(std::string_view text);

// Unicode code points in valid UTF-8; invalid bytes count one each.
std::size_t utf8_length(std::string_view text);

}  // namespace taskflow::text
