// ETag, If-Match and If-None-Match (RFC 9110 §8.8.3, §13.1.1, §13.1.2): If-Match
// uses strong comparison and must name exactly one version the actor can check;
// If-None-Match uses weak comparison over a list.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include "http-edge/middleware/entity_tags.hpp"

using namespace taskflow::edge;

namespace {

bool unmatchable(std::string_view header) {
  return std::holds_alternative<unmatchable_version>(parse_if_match(header));
}

std::optional<std::int64_t> demanded(std::string_view header) {
  auto v = parse_if_match(header);
  if (auto* version = std::get_if<std::int64_t>(&v))
    return *version;
  return std::nullopt;
}

}  // namespace

TEST_CASE("an ETag is the version in double quotes", "[entity_tags]") {
  CHECK(etag_for(1) == "\"1\"");
  CHECK(etag_for(42) == "\"42\"");
  CHECK(etag_for(std::numeric_limits<std::int64_t>::max()) == "\"9223372036854775807\"");
}

TEST_CASE("If-Match with one strong tag demands that version", "[entity_tags]") {
  CHECK(demanded("\"1\"") == 1);
  CHECK(demanded("\"37\"") == 37);
  CHECK(demanded(etag_for(9'000'000'000)) == 9'000'000'000);
  CHECK(demanded("\"9223372036854775807\"") == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("If-Match tolerates optional whitespace and empty list elements", "[entity_tags]") {
  CHECK(demanded(" \t\"5\" \t") == 5);
  CHECK(demanded("\"5\",") == 5);
  CHECK(demanded(", \"5\"") == 5);
}

TEST_CASE("If-Match: * matches any current version", "[entity_tags]") {
  CHECK(std::holds_alternative<any_version>(parse_if_match("*")));
  CHECK(std::holds_alternative<any_version>(parse_if_match("  *\t")));
}

TEST_CASE("If-Match with a weak tag never matches", "[entity_tags]") {
  CHECK(unmatchable("W/\"1\""));
  CHECK(unmatchable(" W/\"7\" "));
}

TEST_CASE("If-Match with several tags cannot be checked atomically", "[entity_tags]") {
  CHECK(unmatchable("\"1\", \"2\""));
  CHECK(unmatchable("\"1\",\"1\""));
  CHECK(unmatchable("*, \"1\""));
  CHECK(unmatchable("\"1\", *"));
}

TEST_CASE("If-Match with a malformed tag is unmatchable", "[entity_tags]") {
  auto header = GENERATE(as<std::string>{}, "", " ", ",", "1", "\"1", "1\"", "'1'", "\"", "\"\"", "W/", "W/\"",
                         "w/\"1\"", "W/ \"1\"", "**", "\"*\"", "\"abc\"", "\"1a\"", "\"1.0\"", "\" 1\"", "\"1 \"",
                         "\"+1\"", "\"0\"", "\"-1\"", "\"9223372036854775808\"", "\"99999999999999999999999\"",
                         "\"0x10\"", "\"1\"\"2\"", "\"\xC3\xA9\"");
  CAPTURE(header);
  CHECK(unmatchable(header));
}

TEST_CASE("If-Match never reads past an embedded NUL into a version", "[entity_tags]") {
  CHECK(unmatchable(std::string_view{"\"1\0\"", 4}));
  CHECK(unmatchable(std::string_view{"\"\0\"", 3}));
}

// RFC 9110 §8.8.3.2 compares opaque-tags character by character (strongly and
// weakly alike): "01" is not the ETag "1" that etag_for(1) sends, so it must
// neither satisfy If-Match nor produce a 304. (Reading tags as numbers once
// let it.)
TEST_CASE("an entity tag with leading zeros is a different tag", "[entity_tags]") {
  CHECK(unmatchable("\"01\""));
  CHECK(unmatchable("\"0001\""));
  CHECK_FALSE(if_none_match_hits("\"01\"", 1));
  CHECK_FALSE(if_none_match_hits("W/\"007\"", 7));
}

TEST_CASE("If-None-Match hits when it lists the current version", "[entity_tags]") {
  CHECK(if_none_match_hits("\"3\"", 3));
  CHECK(if_none_match_hits(etag_for(12), 12));
  CHECK(if_none_match_hits("\"1\", \"2\", \"3\"", 3));
  CHECK(if_none_match_hits("\"1\",\"3\"", 1));
  CHECK(if_none_match_hits("  \"1\" ,\t\"3\"  ", 3));
}

TEST_CASE("If-None-Match misses when no listed tag is the current version", "[entity_tags]") {
  CHECK_FALSE(if_none_match_hits("\"3\"", 4));
  CHECK_FALSE(if_none_match_hits("\"1\", \"2\"", 3));
  CHECK_FALSE(if_none_match_hits("\"33\"", 3));
  CHECK_FALSE(if_none_match_hits("\"3\"", 33));
}

TEST_CASE("If-None-Match compares weakly, so a weak tag hits", "[entity_tags]") {
  CHECK(if_none_match_hits("W/\"3\"", 3));
  CHECK(if_none_match_hits("\"1\", W/\"3\"", 3));
}

TEST_CASE("If-None-Match: * hits any existing version", "[entity_tags]") {
  CHECK(if_none_match_hits("*", 1));
  CHECK(if_none_match_hits(" * ", 99));
}

TEST_CASE("If-None-Match skips malformed members and still finds a good one", "[entity_tags]") {
  CHECK(if_none_match_hits("garbage, \"3\"", 3));
  CHECK(if_none_match_hits("\"x\", , W/, \"3\"", 3));
  CHECK_FALSE(if_none_match_hits("garbage, \"x\", W/", 3));
}

TEST_CASE("If-None-Match with nothing usable never hits", "[entity_tags]") {
  auto header = GENERATE(as<std::string>{}, "", " ", ",,,", "3", "\"3", "3\"", "'3'", "w/\"3\"", "\"*\"", "**",
                         "\"3 \"", "\"-3\"", "\"3\"\"");
  CAPTURE(header);
  CHECK_FALSE(if_none_match_hits(header, 3));
}

TEST_CASE("If-None-Match never matches a version that no ETag could name", "[entity_tags]") {
  CHECK_FALSE(if_none_match_hits("\"0\"", 0));
  CHECK_FALSE(if_none_match_hits("\"-1\"", -1));
}

TEST_CASE("a very long If-None-Match list is handled", "[entity_tags]") {
  std::string header;
  for (int v = 1; v <= 10'000; ++v)
    header += etag_for(v) + ", ";
  CHECK(if_none_match_hits(header, 10'000));
  CHECK_FALSE(if_none_match_hits(header, 10'001));
}
