// RFC 3339 timestamps as the API writes and reads them: always written in UTC
// with milliseconds ("2026-11-24T19:47:20.123Z"); read with any offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskflow::clock {

// The instants RFC 3339 can write in UTC: years 0000-9999.
inline constexpr std::int64_t rfc3339_first_ms = -62'167'219'200'000;  // 0000-01-01T00:00:00.000Z
inline constexpr std::int64_t rfc3339_last_ms = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z

// Instants outside [rfc3339_first_ms, rfc3339_last_ms] are written as the
// nearer end.
std::string format_rfc3339(std::int64_t unix_ms);

// Milliseconds since the epoch, or nullopt when the text is not an RFC 3339
// date-time or names an instant format_rfc3339 cannot write back: an offset
// or a leap second can carry 9999-12-31 into year 10000 UTC (or 0000-01-01
// into year -1), which, taken, would be stored as one instant and shown as
// another.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace taskflow::clock
