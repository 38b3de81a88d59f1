#include "http-edge/json/json_body.hpp"

namespace taskflow::edge {

std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit)
        return deepest;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::variant<nlohmann::json, json_error> parse_json_object(std::string_view body, std::size_t max_depth) {
  if (body.empty())
    return json_error{"The request body is empty; a JSON object is required."};
  // JSON never holds a raw NUL (inside strings it must be escaped), and the
  // parser would stop reading there, silently ignoring the rest.
  if (body.find('\0') != std::string_view::npos)
    return json_error{"The request body is not valid JSON (RFC 8259, UTF-8)."};
  if (json_depth(body, max_depth) > max_depth)
    return json_error{"The JSON document is nested deeper than " + std::to_string(max_depth) + " levels."};
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded())
    return json_error{"The request body is not valid JSON (RFC 8259, UTF-8)."};
  if (!parsed.is_object())
    return json_error{"The request body must be a JSON object."};
  return parsed;
}

}  // namespace taskflow::edge
