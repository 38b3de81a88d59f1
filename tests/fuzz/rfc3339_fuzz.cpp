// libFuzzer target for parse_rfc3339 and format_rfc3339: any bytes as a
// timestamp, and the same bytes read as an instant to format.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "messages/time/rfc3339.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

using taskflow::clock::rfc3339_first_ms;
using taskflow::clock::rfc3339_last_ms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  if (auto ms = taskflow::clock::parse_rfc3339(text)) {
    // Also with an offset or a leap second that would carry it out of them.
    expect(*ms >= rfc3339_first_ms && *ms <= rfc3339_last_ms, "a parsed instant lies within years 0000-9999 UTC");
    expect(taskflow::clock::parse_rfc3339(taskflow::clock::format_rfc3339(*ms)) == *ms,
           "format then parse of a parsed instant is the identity");
  }

  // format_rfc3339 is only promised for what RFC 3339 can write, so the raw
  // bits are folded into years 0000-9999.
  if (size >= sizeof(std::uint64_t)) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, data, sizeof bits);
    const auto ms = rfc3339_first_ms + static_cast<std::int64_t>(
                                           bits % static_cast<std::uint64_t>(rfc3339_last_ms - rfc3339_first_ms + 1));
    const auto written = taskflow::clock::format_rfc3339(ms);
    expect(written.size() == 24, "a formatted timestamp is 24 characters");
    expect(taskflow::clock::parse_rfc3339(written) == ms, "parse(format(ms)) == ms");
  }
  return 0;
}
