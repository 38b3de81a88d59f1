// Splits a request target into path and percent-decoded query parameters.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace taskflow::edge {

// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt on a
// malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

struct split_target {
  std::string path;
  std::multimap<std::string, std::string> query;
};

// nullopt when the target is not origin-form or an escape is malformed.
std::optional<split_target> parse_target(std::string_view target);

// A decimal integer parameter within [min, max]: digits only, no sign or
// spaces; nullopt otherwise.
std::optional<int> parse_int_in_range(std::string_view text, int min, int max);

}  // namespace taskflow::edge
