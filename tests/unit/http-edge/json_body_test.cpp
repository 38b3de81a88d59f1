// Request bodies as a hostile client might send them: the depth bound must hold
// before parsing, and every rejection must be a json_error, never an exception.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <variant>

#include "http-edge/json/json_body.hpp"

using taskflow::edge::json_depth;
using taskflow::edge::json_error;
using taskflow::edge::parse_json_object;

namespace {

constexpr std::size_t max_depth = 32;

std::string nested_object(std::size_t depth) {
  // depth 1 is {}, depth 2 is {"a":{}}, ...
  std::string text;
  for (std::size_t i = 1; i < depth; ++i)
    text += "{\"a\":";
  text += "{}";
  text.append(depth - 1, '}');
  return text;
}

bool accepted(std::string_view body, std::size_t depth = max_depth) {
  return std::holds_alternative<nlohmann::json>(parse_json_object(body, depth));
}

std::string rejection(std::string_view body, std::size_t depth = max_depth) {
  auto parsed = parse_json_object(body, depth);
  REQUIRE(std::holds_alternative<json_error>(parsed));
  return std::get<json_error>(parsed).detail;
}

}  // namespace

TEST_CASE("a JSON object body is parsed", "[json_body]") {
  auto parsed = parse_json_object(R"({"title":"x","priority":2,"tags":["a"]})", max_depth);
  REQUIRE(std::holds_alternative<nlohmann::json>(parsed));
  const auto& body = std::get<nlohmann::json>(parsed);
  CHECK(body.at("title") == "x");
  CHECK(body.at("priority") == 2);
  CHECK(body.at("tags") == nlohmann::json::array({"a"}));
}

TEST_CASE("surrounding JSON whitespace is allowed", "[json_body]") {
  CHECK(accepted(" \t\r\n{} \t\r\n"));
}

TEST_CASE("an empty body is rejected with its own message", "[json_body]") {
  CHECK_THAT(rejection(""), Catch::Contains("empty"));
}

TEST_CASE("a body of only whitespace is not JSON", "[json_body]") {
  CHECK_THAT(rejection("   \r\n"), Catch::Contains("not valid JSON"));
}

TEST_CASE("valid JSON that is not an object is rejected", "[json_body]") {
  auto body = GENERATE(as<std::string>{}, "[]", "[{}]", "\"text\"", "42", "-1.5e3", "true", "false", "null");
  CAPTURE(body);
  CHECK_THAT(rejection(body), Catch::Contains("must be a JSON object"));
}

TEST_CASE("nesting exactly at the limit is accepted", "[json_body]") {
  CHECK(json_depth(nested_object(max_depth), max_depth) == max_depth);
  CHECK(accepted(nested_object(max_depth)));
  CHECK(accepted("{}", 1));
}

TEST_CASE("nesting one level over the limit is rejected before parsing", "[json_body]") {
  CHECK_THAT(rejection(nested_object(max_depth + 1)), Catch::Contains("nested deeper than 32"));
  CHECK_THAT(rejection(R"({"a":[]})", 1), Catch::Contains("nested deeper than 1"));
}

TEST_CASE("arrays and objects both count towards depth", "[json_body]") {
  CHECK(json_depth(R"({"a":[[{"b":[]}]]})", 100) == 5);
  CHECK(json_depth("[[[[]]]]", 100) == 4);
  CHECK(json_depth(R"({"a":{},"b":{},"c":[]})", 100) == 2);
}

TEST_CASE("a huge unclosed nesting is cut off at the limit, not walked to the end", "[json_body]") {
  // The early return is what keeps a megabyte of '[' cheap.
  std::string deep(1'000'000, '[');
  CHECK(json_depth(deep, max_depth) == max_depth + 1);
  CHECK_THAT(rejection("{\"a\":" + deep), Catch::Contains("nested deeper"));
}

TEST_CASE("brackets inside strings do not count as nesting", "[json_body]") {
  std::string brackets(100, '[');
  auto body = R"({"a":")" + brackets + R"(","b":"}}}]]]{{{"})";
  CHECK(json_depth(body, max_depth) == 1);
  CHECK(accepted(body));
  CHECK(accepted(R"({"[[[[": "{{{{"})", 1));
}

TEST_CASE("an escaped quote does not end the string", "[json_body]") {
  auto body = R"({"a":"\"[[[[\"[[[["})";
  CHECK(json_depth(body, 1) == 1);
  CHECK(accepted(body, 1));
}

TEST_CASE("an escaped backslash before a quote does end the string", "[json_body]") {
  // "\\" is one backslash; the quote after it closes the string, so the
  // brackets that follow are real nesting.
  auto body = R"({"a":"\\","b":[[]]})";
  CHECK(json_depth(body, 100) == 3);
  CHECK_FALSE(accepted(body, 2));
  CHECK(accepted(body, 3));
}

TEST_CASE("stray closing brackets cannot lower the depth below zero", "[json_body]") {
  // Were depth to underflow or go negative, the '[' run would look shallow.
  CHECK(json_depth("]]]]]]]][[[", 100) == 3);
  CHECK(json_depth("}}}}{{", 100) == 2);
}

TEST_CASE("syntax errors are rejected as invalid JSON", "[json_body]") {
  auto body = GENERATE(as<std::string>{}, "{", "}", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{a:1}", "{\"a\":1,}",
                       "{\"a\":01}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":.5}", "{\"a\":\"\\x41\"}",
                       "{\"a\":\"line\nbreak\"}", "{\"a\":1 /* c */}", "{\"a\":1} // c", "{\"a\":\"unterminated}");
  CAPTURE(body);
  CHECK_THAT(rejection(body), Catch::Contains("not valid JSON"));
}

TEST_CASE("trailing content after the object is rejected", "[json_body]") {
  auto body = GENERATE(as<std::string>{}, "{}x", "{}{}", "{} {}", "{}]", "{},", "{}\"", "{}1");
  CAPTURE(body);
  CHECK_THAT(rejection(body), Catch::Contains("not valid JSON"));
}

TEST_CASE("a raw NUL byte inside a string is rejected", "[json_body]") {
  CHECK_FALSE(accepted(std::string_view{"{\"a\":\"\0\"}", 9}));
}

// nlohmann's lexer takes a NUL byte as the end of input, so without a check of
// our own `{"title":"a"}\0{"title":"b"}` would pass as one valid object. A raw
// NUL is never valid JSON; the body is refused before parsing.
TEST_CASE("content after a NUL byte is not ignored", "[json_body]") {
  CHECK_FALSE(accepted(std::string_view{"{}\0", 3}));
  CHECK_FALSE(accepted(std::string_view{"{\"title\":\"a\"}\0{\"title\":\"b\"}", 27}));
  CHECK_FALSE(accepted(std::string_view{"{}\0garbage", 10}));
}

TEST_CASE("invalid UTF-8 is rejected", "[json_body]") {
  auto body = GENERATE(as<std::string>{},
                       "{\"a\":\"\xFF\"}",              // never valid in UTF-8
                       "{\"a\":\"\xC3\"}",              // truncated two-byte sequence
                       "{\"a\":\"\xC0\xAF\"}",          // overlong '/'
                       "{\"a\":\"\xE0\x80\xAF\"}",      // overlong three-byte
                       "{\"a\":\"\xED\xA0\x80\"}",      // UTF-16 surrogate encoded as UTF-8
                       "{\"a\":\"\xF4\x90\x80\x80\"}",  // above U+10FFFF
                       "{\"\x80\":1}");                 // stray continuation byte in a key
  CAPTURE(body);
  CHECK_THAT(rejection(body), Catch::Contains("not valid JSON"));
}

TEST_CASE("lone surrogate escapes are rejected", "[json_body]") {
  CHECK_FALSE(accepted(R"({"a":"\ud800"})"));
  CHECK_FALSE(accepted(R"({"a":"\udc00"})"));
  CHECK_FALSE(accepted(R"({"a":"\ud800\u0041"})"));
}

TEST_CASE("valid multi-byte UTF-8 and escaped pairs are accepted", "[json_body]") {
  auto parsed = parse_json_object("{\"a\":\"\xE2\x82\xAC \xF0\x9F\x98\x80\",\"b\":\"\\ud83d\\ude00\"}", max_depth);
  REQUIRE(std::holds_alternative<nlohmann::json>(parsed));
  CHECK(std::get<nlohmann::json>(parsed).at("b") == "\xF0\x9F\x98\x80");
}

TEST_CASE("the last of duplicate keys wins", "[json_body]") {
  auto parsed = parse_json_object(R"({"a":1,"a":2})", max_depth);
  REQUIRE(std::holds_alternative<nlohmann::json>(parsed));
  CHECK(std::get<nlohmann::json>(parsed).at("a") == 2);
}
