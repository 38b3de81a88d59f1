// Turns untrusted request bytes into a JSON object: nesting is bounded before
// the parser sees the text (a deep document cannot exhaust the stack), UTF-8 is
// validated, and every failure is a problem with a message a client can act on.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace taskflow::edge {

struct json_error {
  std::string detail;
};

// The deepest nesting of arrays/objects in `text`, stopping early once it
// exceeds `limit`. Strings and escapes are skipped correctly.
std::size_t json_depth(std::string_view text, std::size_t limit);

std::variant<nlohmann::json, json_error> parse_json_object(std::string_view body, std::size_t max_depth);

}  // namespace taskflow::edge
