// libFuzzer target for parse_if_match and if_none_match_hits: any bytes as an
// If-Match / If-None-Match header value.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "http-edge/middleware/entity_tags.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace taskflow::edge;
  const std::string_view header{reinterpret_cast<const char*>(data), size};
  const auto demanded = parse_if_match(header);
  if (std::holds_alternative<any_version>(demanded))
    expect(if_none_match_hits(header, 1), "If-Match: * and If-None-Match: * agree");
  if (const auto* version = std::get_if<std::int64_t>(&demanded)) {
    expect(*version >= 1, "versions start at 1");
    expect(if_none_match_hits(header, *version), "a strong match is also a weak match");
    const auto own = parse_if_match(etag_for(*version));
    expect(std::holds_alternative<std::int64_t>(own) && std::get<std::int64_t>(own) == *version,
           "our own ETag parses back to its version");
  }
  return 0;
}
