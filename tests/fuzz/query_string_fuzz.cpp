// libFuzzer target for parse_target and percent_decode: any bytes as a request
// target.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http-edge/routing/query_string.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target{reinterpret_cast<const char*>(data), size};
  for (bool plus_is_space : {false, true}) {
    if (auto decoded = taskflow::edge::percent_decode(target, plus_is_space)) {
      expect(decoded->size() <= target.size(), "decoding never lengthens the text");
      if (target.find('%') == std::string_view::npos && !plus_is_space)
        expect(*decoded == target, "text without escapes decodes to itself");
    }
  }
  if (auto split = taskflow::edge::parse_target(target)) {
    expect(!split->path.empty() && split->path.front() == '/', "an accepted path is absolute");
    expect(target.substr(0, target.find('?')).find('#') == std::string_view::npos, "a fragment in the path is refused");
    std::size_t decoded = split->path.size();
    for (const auto& [name, value] : split->query)
      decoded += name.size() + value.size();
    expect(decoded <= target.size(), "the parts are no longer than the target");
  }
  return 0;
}
