// RFC 3339 timestamps as clients send them (any offset, any precision) and as
// the API writes them (UTC, milliseconds).
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "messages/time/rfc3339.hpp"

using taskflow::clock::format_rfc3339;
using taskflow::clock::parse_rfc3339;

namespace {

constexpr std::int64_t year_0000_start = taskflow::clock::rfc3339_first_ms;
constexpr std::int64_t year_9999_end = taskflow::clock::rfc3339_last_ms;

}  // namespace

TEST_CASE("timestamps are written in UTC with milliseconds", "[rfc3339]") {
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_rfc3339(1'795'549'640'123) == "2026-11-24T19:47:20.123Z");
  CHECK(format_rfc3339(951'782'400'000) == "2000-02-29T00:00:00.000Z");
  CHECK(format_rfc3339(year_0000_start) == "0000-01-01T00:00:00.000Z");
  CHECK(format_rfc3339(year_9999_end) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("timestamps before the epoch are written with floor semantics", "[rfc3339]") {
  // Truncating division would put -1 ms on 1970-01-01 with a negative time.
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_rfc3339(-999) == "1969-12-31T23:59:59.001Z");
  CHECK(format_rfc3339(-1000) == "1969-12-31T23:59:59.000Z");
  CHECK(format_rfc3339(-86'400'000) == "1969-12-31T00:00:00.000Z");
  CHECK(format_rfc3339(-86'400'001) == "1969-12-30T23:59:59.999Z");
  CHECK(format_rfc3339(-14'182'940'000) == "1969-07-20T20:17:40.000Z");
}

TEST_CASE("UTC timestamps parse to milliseconds since the epoch", "[rfc3339]") {
  CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339("2026-11-24T19:47:20.123Z") == 1'795'549'640'123);
  CHECK(parse_rfc3339("1969-12-31T23:59:59.999Z") == -1);
  CHECK(parse_rfc3339("1969-07-20T20:17:40Z") == -14'182'940'000);
  CHECK(parse_rfc3339("1900-03-01T00:00:00Z") == -2'203'891'200'000);
}

TEST_CASE("years 0000 and 9999 are the accepted boundaries", "[rfc3339]") {
  CHECK(parse_rfc3339("0000-01-01T00:00:00Z") == year_0000_start);
  CHECK(parse_rfc3339("0000-01-01T00:00:00.000Z") == year_0000_start);
  CHECK(parse_rfc3339("9999-12-31T23:59:59.999Z") == year_9999_end);
  CHECK_FALSE(parse_rfc3339("10000-01-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("-0001-12-31T23:59:59Z"));
  CHECK_FALSE(parse_rfc3339("+2026-01-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("999-01-01T00:00:00Z"));
}

// Found by fuzz_task_json_v2: a due date of 9999-12-31T23:59:59.999-12:59 was
// stored as an instant in year 10000 and shown as 9999-12-31T23:59:59.999Z.
TEST_CASE("an offset or leap second that leaves years 0000-9999 in UTC is refused", "[rfc3339]") {
  CHECK(parse_rfc3339("9999-12-31T23:59:59.999+00:00") == year_9999_end);
  CHECK(parse_rfc3339("9999-12-31T23:59:59.999+23:59"));
  CHECK_FALSE(parse_rfc3339("9999-12-31T23:59:59.999-00:01"));
  CHECK_FALSE(parse_rfc3339("9999-12-31T23:59:59.999-12:59"));
  CHECK_FALSE(parse_rfc3339("9999-12-31T23:59:60Z"));
  CHECK(parse_rfc3339("0000-01-01T00:00:00-00:00") == year_0000_start);
  CHECK(parse_rfc3339("0000-01-01T23:59:00-23:59"));
  CHECK_FALSE(parse_rfc3339("0000-01-01T00:00:00+00:01"));
  CHECK_FALSE(parse_rfc3339("0000-01-01T00:00:00.999+23:59"));
}

TEST_CASE("formatting then parsing gives back the same instant", "[rfc3339]") {
  auto ms = GENERATE(year_0000_start, year_0000_start + 1, std::int64_t{-86'400'001}, std::int64_t{-1}, std::int64_t{0},
                     std::int64_t{1}, std::int64_t{951'782'400'000}, std::int64_t{1'709'208'000'000},
                     std::int64_t{1'795'549'640'123}, year_9999_end - 1, year_9999_end);
  CAPTURE(ms);
  CHECK(parse_rfc3339(format_rfc3339(ms)) == ms);
}

TEST_CASE("offsets are applied to reach UTC", "[rfc3339]") {
  CHECK(parse_rfc3339("2026-01-01T01:00:00+01:00") == parse_rfc3339("2026-01-01T00:00:00Z"));
  CHECK(parse_rfc3339("2025-12-31T19:00:00-05:00") == parse_rfc3339("2026-01-01T00:00:00Z"));
  CHECK(parse_rfc3339("2026-01-01T05:30:00+05:30") == parse_rfc3339("2026-01-01T00:00:00Z"));
  CHECK(parse_rfc3339("2026-01-01T00:00:00.250+00:01") == parse_rfc3339("2025-12-31T23:59:00.250Z"));
  // RFC 3339 §4.3: -00:00 means "UTC, local offset unknown"; the instant is the same.
  CHECK(parse_rfc3339("2026-01-01T00:00:00-00:00") == parse_rfc3339("2026-01-01T00:00:00Z"));
  CHECK(parse_rfc3339("2026-01-01T00:00:00+00:00") == parse_rfc3339("2026-01-01T00:00:00Z"));
}

TEST_CASE("the widest offsets are accepted and anything wider is not", "[rfc3339]") {
  CHECK(parse_rfc3339("2026-01-01T23:59:00+23:59") == parse_rfc3339("2026-01-01T00:00:00Z"));
  CHECK(parse_rfc3339("2026-01-01T00:00:00-23:59") == parse_rfc3339("2026-01-01T23:59:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+24:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+05:60"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00-99:99"));
}

TEST_CASE("offsets must be +hh:mm exactly", "[rfc3339]") {
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+0530"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+05"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+5:30"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+05:3"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+05:300"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+05:30Z"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00-"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00 +01:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00+a1:00"));
}

TEST_CASE("a time without an offset is not an RFC 3339 date-time", "[rfc3339]") {
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:00.123"));
  CHECK_FALSE(parse_rfc3339("2026-01-01"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00Z"));
}

TEST_CASE("leap days exist only in leap years", "[rfc3339]") {
  CHECK(parse_rfc3339("2024-02-29T12:00:00Z") == 1'709'208'000'000);
  CHECK(parse_rfc3339("2000-02-29T00:00:00Z") == 951'782'400'000);
  CHECK(parse_rfc3339("0000-02-29T00:00:00Z"));  // year 0 is divisible by 400
  CHECK(parse_rfc3339("9996-02-29T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("1900-02-29T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2100-02-29T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2024-02-30T00:00:00Z"));
}

TEST_CASE("each month has its own last day", "[rfc3339]") {
  CHECK(parse_rfc3339("2026-01-31T00:00:00Z"));
  CHECK(parse_rfc3339("2026-04-30T00:00:00Z"));
  CHECK(parse_rfc3339("2026-12-31T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-04-31T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-06-31T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-09-31T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-31T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-01-32T00:00:00Z"));
}

TEST_CASE("out-of-range fields are rejected", "[rfc3339]") {
  CHECK_FALSE(parse_rfc3339("2026-00-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-13-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-01-00T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T24:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:60:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T00:00:61Z"));
  CHECK_FALSE(parse_rfc3339("2026-99-99T99:99:99Z"));
}

TEST_CASE("a leap second is read as the start of the next second", "[rfc3339]") {
  CHECK(parse_rfc3339("2016-12-31T23:59:60Z") == parse_rfc3339("2017-01-01T00:00:00Z"));
  CHECK(parse_rfc3339("2016-12-31T23:59:60.500Z") == parse_rfc3339("2017-01-01T00:00:00.500Z"));
}

TEST_CASE("fractional seconds are kept to the millisecond", "[rfc3339]") {
  CHECK(parse_rfc3339("1970-01-01T00:00:00.1Z") == 100);
  CHECK(parse_rfc3339("1970-01-01T00:00:00.12Z") == 120);
  CHECK(parse_rfc3339("1970-01-01T00:00:00.123Z") == 123);
  CHECK(parse_rfc3339("1970-01-01T00:00:00.000Z") == 0);
  CHECK(parse_rfc3339("1970-01-01T00:00:00.999999999Z") == 999);
  CHECK(parse_rfc3339("1970-01-01T00:00:00.1239+00:00") == 123);
}

TEST_CASE("an absurdly long fraction is read without overflow", "[rfc3339]") {
  auto text = "1970-01-01T00:00:01." + std::string(10'000, '9') + "Z";
  CHECK(parse_rfc3339(text) == 1999);
}

TEST_CASE("a fraction needs a dot and at least one digit", "[rfc3339]") {
  CHECK_FALSE(parse_rfc3339("1970-01-01T00:00:00.Z"));
  CHECK_FALSE(parse_rfc3339("1970-01-01T00:00:00.+01:00"));
  CHECK_FALSE(parse_rfc3339("1970-01-01T00:00:00,5Z"));
  CHECK_FALSE(parse_rfc3339("1970-01-01T00:00:00..5Z"));
  CHECK_FALSE(parse_rfc3339("1970-01-01T00:00:00.5.5Z"));
  CHECK_FALSE(parse_rfc3339("1970-01-01T00:00:00.-5Z"));
}

TEST_CASE("lower-case t and z are accepted (RFC 3339 section 5.6 note)", "[rfc3339]") {
  CHECK(parse_rfc3339("2026-11-24t19:47:20.123z") == 1'795'549'640'123);
  CHECK(parse_rfc3339("2026-11-24t19:47:20.123Z") == 1'795'549'640'123);
  CHECK(parse_rfc3339("2026-11-24T19:47:20.123z") == 1'795'549'640'123);
}

TEST_CASE("separators other than T, dash and colon are rejected", "[rfc3339]") {
  CHECK_FALSE(parse_rfc3339("2026-11-24 19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-24X19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026/11/24T19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-24T19.47.20Z"));
  CHECK_FALSE(parse_rfc3339("20261124T194720Z"));
}

TEST_CASE("fields must have exactly their number of ASCII digits", "[rfc3339]") {
  CHECK_FALSE(parse_rfc3339("2026-1-24T19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-4T19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-24T9:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-24T19:47:2Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-24T19:47:200Z"));
  CHECK_FALSE(parse_rfc3339("2O26-11-24T19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-1 -24T19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-+1-24T19:47:20Z"));
  const std::string fullwidth_one = "\xEF\xBC\x91";  // U+FF11, a digit to Unicode but not to RFC 3339
  CHECK_FALSE(parse_rfc3339("2026-" + fullwidth_one + "1-24T19:47:20Z"));
}

TEST_CASE("garbage, whitespace and truncation are rejected", "[rfc3339]") {
  CHECK_FALSE(parse_rfc3339(""));
  CHECK_FALSE(parse_rfc3339("Z"));
  CHECK_FALSE(parse_rfc3339("now"));
  CHECK_FALSE(parse_rfc3339("1795549640123"));
  CHECK_FALSE(parse_rfc3339("Tue, 24 Nov 2026 19:47:20 GMT"));
  CHECK_FALSE(parse_rfc3339(" 2026-11-24T19:47:20Z"));
  CHECK_FALSE(parse_rfc3339("2026-11-24T19:47:20Z "));
  CHECK_FALSE(parse_rfc3339("2026-11-24T19:47:20ZZ"));
  CHECK_FALSE(parse_rfc3339("2026-11-24T19:47:20Z\n"));
  CHECK_FALSE(parse_rfc3339(std::string_view{"2026-11-24T19:47:20Z\0", 21}));
  CHECK_FALSE(parse_rfc3339(std::string_view{"2026-11-24T19:47:20\0Z", 21}));
  const std::string full = "2026-11-24T19:47:20.123+01:00";
  for (std::size_t n = 0; n < full.size(); ++n) {
    CAPTURE(n);
    CHECK_FALSE(parse_rfc3339(std::string_view{full}.substr(0, n)));
  }
  CHECK(parse_rfc3339(full));
}
