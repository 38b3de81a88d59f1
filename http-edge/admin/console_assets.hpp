// The admin console's files (HTML, CSS, JavaScript modules), compiled into the
// binary by embed_console.cmake so nothing is read from disk or fetched at run
// time. The definition is generated into the build directory.
#pragma once

#include <span>
#include <string_view>

namespace taskflow::edge {

struct console_asset {
  std::string_view name;  // file name under http-edge/admin/console/, e.g. "app.js"
  std::string_view content_type;
  std::string_view etag;  // strong: a quoted prefix of the file's SHA-256
  std::string_view body;
};

std::span<const console_asset> console_assets();

}  // namespace taskflow::edge
