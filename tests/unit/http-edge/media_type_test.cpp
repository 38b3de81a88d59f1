// Content-Type matching for request bodies (RFC 9110 §8.3): type and subtype
// are case-insensitive, parameters follow ';', and a charset other than UTF-8
// makes the body unreadable for us.
#include <catch2/catch.hpp>

#include <string>

#include "http-edge/middleware/media_type.hpp"

using taskflow::edge::is_media_type;

namespace {

bool json(std::string_view content_type) {
  return is_media_type(content_type, {"application/json"});
}

}  // namespace

TEST_CASE("the exact media type is accepted", "[media_type]") {
  CHECK(json("application/json"));
  CHECK(is_media_type("application/merge-patch+json", {"application/merge-patch+json", "application/json"}));
  CHECK(is_media_type("application/json", {"application/merge-patch+json", "application/json"}));
}

TEST_CASE("type and subtype compare case-insensitively", "[media_type]") {
  CHECK(json("Application/JSON"));
  CHECK(json("APPLICATION/JSON"));
}

TEST_CASE("whitespace around the type and parameters is ignored", "[media_type]") {
  CHECK(json("  application/json  "));
  CHECK(json("application/json ; charset=utf-8"));
  CHECK(json("application/json;\tcharset=utf-8 "));
}

TEST_CASE("a UTF-8 charset is accepted however it is cased or quoted", "[media_type]") {
  CHECK(json("application/json; charset=utf-8"));
  CHECK(json("application/json;charset=UTF-8"));
  CHECK(json("application/json; CHARSET=Utf-8"));
  CHECK(json("application/json; charset=\"utf-8\""));
  // Not an IANA name, but common enough in clients that refusing it only hurts.
  CHECK(json("application/json; charset=utf8"));
}

TEST_CASE("any charset other than UTF-8 is refused", "[media_type]") {
  auto content_type =
      GENERATE(as<std::string>{}, "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
               "application/json; charset=utf-8x", "application/json; charset=", "application/json; charset=\"\"",
               "application/json; charset=utf-8, text/html", "application/json; charset=utf-8; charset=latin1");
  CAPTURE(content_type);
  CHECK_FALSE(json(content_type));
}

TEST_CASE("parameters other than charset do not matter", "[media_type]") {
  CHECK(json("application/json; profile=\"https://example.com/x\""));
  CHECK(json("application/json;"));
  CHECK(json("application/json;;"));
  CHECK(json("application/json; foo=bar; charset=utf-8"));
}

TEST_CASE("other media types are refused", "[media_type]") {
  auto content_type = GENERATE(
      as<std::string>{}, "", " ", ";", "text/plain", "application/jsonx", "application/json/x", "application/xjson",
      "xapplication/json", "application/", "/json", "application", "json", "*/*", "application/*", "application/ json",
      "application /json", "application/json, text/plain", "text/json", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x", "application/merge-patch+json", "application/problem+json");
  CAPTURE(content_type);
  CHECK_FALSE(json(content_type));
}

TEST_CASE("control and NUL bytes do not sneak a type through", "[media_type]") {
  CHECK_FALSE(json(std::string_view{"application/json\0", 17}));
  CHECK_FALSE(json(std::string_view{"application\0json", 16}));
  CHECK_FALSE(json("application/json\x01"));
  CHECK_FALSE(json("application/js\xC3\xB6n"));
}

TEST_CASE("an empty accepted list accepts nothing", "[media_type]") {
  CHECK_FALSE(is_media_type("application/json", {}));
}

TEST_CASE("a very long parameter list is handled", "[media_type]") {
  std::string content_type = "application/json";
  for (int i = 0; i < 10'000; ++i)
    content_type += "; p" + std::to_string(i) + "=v";
  CHECK(json(content_type));
  CHECK_FALSE(json(content_type + "; charset=latin1"));
}
