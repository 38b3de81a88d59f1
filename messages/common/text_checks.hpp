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

// What a name (a title, a display name, a tag) may not hold: a C0 or C1
// control character or DEL. NUL cuts text short in C strings, logs and
// terminals; the others reorder or hide what a reader sees. `line_breaks`
// admits tab, LF and CR, for text that spans lines (a description).
bool has_control_characters(std::string_view text, bool line_breaks = false);

}  // namespace taskflow::text
