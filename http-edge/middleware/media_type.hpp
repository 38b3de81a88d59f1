// Content-Type checks for request bodies.
#pragma once

#include <initializer_list>
#include <string_view>

namespace taskflow::edge {

// True when `content_type` names one of `accepted` (type/subtype compared
// case-insensitively; a charset parameter, if any, must be utf-8).
bool is_media_type(std::string_view content_type, std::initializer_list<std::string_view> accepted);

}  // namespace taskflow::edge
