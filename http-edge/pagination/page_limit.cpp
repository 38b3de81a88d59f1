#include "http-edge/pagination/page_limit.hpp"

#include "http-edge/routing/query_string.hpp"

namespace taskflow::edge {

int page_limit(const std::string* text, messages::field_errors& errors) {
  if (!text)
    return default_page_limit;
  if (auto parsed = parse_int_in_range(*text, 1, max_page_limit))
    return *parsed;
  messages::add_field_error(errors, "limit", "must be an integer from 1 to " + std::to_string(max_page_limit));
  return default_page_limit;
}

}  // namespace taskflow::edge
