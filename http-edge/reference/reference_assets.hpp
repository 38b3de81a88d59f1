// The API reference's files: our page and start-up script from
// http-edge/reference/page/ with swagger-ui-dist's bundle, preset and
// stylesheet installed by npm at build time, or, in a build without npm,
// http-edge/reference/not_built/index.html alone. The definition is generated
// into the build directory.
#pragma once

#include <span>

#include "http-edge/embedded/embedded_asset.hpp"

namespace taskflow::edge {

std::span<const embedded_asset> reference_assets();

}  // namespace taskflow::edge
