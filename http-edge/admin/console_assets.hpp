// The admin console's files (HTML, CSS, JavaScript modules, the icon) from
// http-edge/admin/console/; the definition is generated into the build
// directory.
#pragma once

#include <span>

#include "http-edge/embedded/embedded_asset.hpp"

namespace taskflow::edge {

std::span<const embedded_asset> console_assets();

}  // namespace taskflow::edge
