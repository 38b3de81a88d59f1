// Header field values as RFC 9110 §5.6.3 reads them: optional whitespace
// (spaces and tabs) around a value or a list member is not part of it.
#pragma once

#include <string_view>

namespace taskflow::edge {

inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace taskflow::edge
