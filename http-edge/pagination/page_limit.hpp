// The `limit` of every cursor-paged list: one default, one ceiling and one
// error text, so a client learns the rule once.
#pragma once

#include <string>

#include "messages/common/field_errors.hpp"

namespace taskflow::edge {

inline constexpr int default_page_limit = 50;
inline constexpr int max_page_limit = 200;

// The page size a `limit` query parameter asks for (nullptr: absent, the
// default). Out of range or not a number adds a field error and returns the
// default, so the caller collects every error before answering.
int page_limit(const std::string* text, messages::field_errors& errors);

}  // namespace taskflow::edge
