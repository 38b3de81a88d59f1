// RFC 3339 timestamps as the API writes and reads them: always written in UTC
// with milliseconds ("2026-11-24T19:47:20.123Z"); read with any offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskflow::clock {

std::string format_rfc3339(std::int64_t unix_ms);

// Milliseconds since the epoch, or nullopt when the text is not an RFC 3339
// date-time between years 0000 and 9999.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace taskflow::clock
