// GET /admin (the console page) and GET /admin/assets/{name} (its scripts,
// styles and icon). Served to anyone: the page holds no data, and every data
// call it makes goes to /admin/api/*, which answers only admins. The answers
// carry a strict Content-Security-Policy (scripts and styles from this origin
// only, nothing inline) and a strong ETag to revalidate against.
#pragma once

#include "http-edge/routing/router.hpp"

namespace taskflow::edge {

void add_console_routes(router& routes);

}  // namespace taskflow::edge
