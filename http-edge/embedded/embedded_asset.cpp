#include "http-edge/embedded/embedded_asset.hpp"

#include <algorithm>

namespace taskflow::edge {

const embedded_asset* find_asset(std::span<const embedded_asset> assets, std::string_view name) {
  auto it = std::find_if(assets.begin(), assets.end(), [&](const embedded_asset& a) { return a.name == name; });
  return it == assets.end() ? nullptr : &*it;
}

}  // namespace taskflow::edge
