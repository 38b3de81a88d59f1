// libFuzzer target for parse_rfc3339 and format_rfc3339: any bytes as a
// timestamp, and the same bytes read as an instant to format.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "messages/time/rfc3339.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

namespace {

constexpr std::int64_t earliest = -62'167'219'200'000;  // 0000-01-01T00:00:00.000Z
constexpr std::int64_t latest = 253'402'300'799'999;    // 9999-12-31T23:59:59.999Z
constexpr std::int64_t day = 86'400'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  if (auto ms = taskflow::clock::parse_rfc3339(text)) {
    // Offsets up to ±23:59 and a leap second can move an instant past the years
    // written in the text, never further than a day.
    expect(*ms >= earliest - day && *ms <= latest + day, "a parsed instant lies within years 0000-9999");
    if (*ms >= earliest && *ms <= latest)
      expect(taskflow::clock::parse_rfc3339(taskflow::clock::format_rfc3339(*ms)) == *ms,
             "format then parse of a parsed instant is the identity");
  }

  // format_rfc3339 is only promised for what RFC 3339 can write, so the raw
  // bits are folded into years 0000-9999.
  if (size >= sizeof(std::uint64_t)) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, data, sizeof bits);
    const auto ms = earliest + static_cast<std::int64_t>(bits % static_cast<std::uint64_t>(latest - earliest + 1));
    const auto written = taskflow::clock::format_rfc3339(ms);
    expect(written.size() == 24, "a formatted timestamp is 24 characters");
    expect(taskflow::clock::parse_rfc3339(written) == ms, "parse(format(ms)) == ms");
  }
  return 0;
}
