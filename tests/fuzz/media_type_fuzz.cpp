// libFuzzer target for is_media_type: any bytes as a Content-Type value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http-edge/middleware/media_type.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content_type{reinterpret_cast<const char*>(data), size};
  std::string lower;
  for (unsigned char c : content_type)
    lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  if (taskflow::edge::is_media_type(content_type, {"application/json"}))
    expect(lower.find("application/json") != std::string::npos, "acceptance names the accepted type");
  if (taskflow::edge::is_media_type(content_type, {"application/merge-patch+json", "application/json"}))
    expect(lower.find("json") != std::string::npos, "acceptance names one of the accepted types");
  return 0;
}
