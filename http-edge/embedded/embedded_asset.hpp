// A file compiled into the binary by embed_assets.cmake (the admin console's,
// the API reference's), so nothing is read from disk or fetched at run time.
#pragma once

#include <span>
#include <string_view>

namespace taskflow::edge {

struct embedded_asset {
  std::string_view name;  // the file's name, e.g. "app.js"
  std::string_view content_type;
  std::string_view etag;  // strong: a quoted prefix of the file's SHA-256
  std::string_view body;
};

const embedded_asset* find_asset(std::span<const embedded_asset> assets, std::string_view name);

}  // namespace taskflow::edge
