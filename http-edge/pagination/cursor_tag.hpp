// The tags both kinds of cursor carry (page_cursor.hpp says why a checksum
// and no secret): the first bytes of SHA-256 over a domain and the tagged
// data. Each kind names its own domains, so one kind's cursor, or one
// filter's, never decodes as another's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace taskflow::edge {

inline constexpr std::size_t cursor_tag_bytes = 8;

std::string cursor_tag(std::string_view domain, std::string_view data);

}  // namespace taskflow::edge
