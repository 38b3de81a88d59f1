#include "http-edge/pagination/cursor_tag.hpp"

#include "runtime/codec/sha256.hpp"

namespace taskflow::edge {

std::string cursor_tag(std::string_view domain, std::string_view data) {
  auto digest = runtime::sha256_of_parts({domain, data});
  return {reinterpret_cast<const char*>(digest.data()), cursor_tag_bytes};
}

}  // namespace taskflow::edge
