// Opaque cursors for the admin list of resident actors: the (type, id) of
// the last actor of a page and a tag of the filter it was made for, in
// base64url, with a SHA-256 checksum so an edited or truncated cursor is a
// 400 rather than a page from somewhere else (see pagination/page_cursor.hpp
// for why a checksum and no secret).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/admin/actor_listing.hpp"

namespace taskflow::edge {

std::string encode_actor_cursor(const runtime::actor_position& after, std::string_view filter);

// nullopt for anything encode_actor_cursor did not make for this filter.
std::optional<runtime::actor_position> decode_actor_cursor(std::string_view cursor, std::string_view filter);

}  // namespace taskflow::edge
