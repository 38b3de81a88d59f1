// GET /admin (the console page) and GET /admin/assets/{name} (its scripts,
// styles and icon). Served to anyone: the page holds no data, and every data
// call it makes goes to /admin/api/*, which answers only admins. The answers
// carry a strict Content-Security-Policy (scripts and styles from this origin
// only, nothing inline) and a strong ETag to revalidate against.
#pragma once

#include "http-edge/routing/router.hpp"

namespace taskflow::edge {

void add_console_routes(router& routes);

// True when If-None-Match names `etag` or is "*" (weak comparison, RFC 9110 §13.1.2).
bool if_none_match_names(std::string_view header, std::string_view etag);

}  // namespace taskflow::edge
