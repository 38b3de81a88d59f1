// Request targets (RFC 9112 §3.2 origin-form) split into a decoded path and
// query parameters; malformed escapes must be refused, never half-decoded.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "http-edge/routing/query_string.hpp"

using taskflow::edge::parse_target;
using taskflow::edge::percent_decode;

namespace {

std::vector<std::pair<std::string, std::string>> params(std::string_view target) {
  auto split = parse_target(target);
  REQUIRE(split);
  return {split->query.begin(), split->query.end()};
}

using pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("percent escapes decode in either hex case", "[query_string]") {
  CHECK(percent_decode("a%20b", false) == "a b");
  CHECK(percent_decode("%41%42%43", false) == "ABC");
  CHECK(percent_decode("%c3%a9", false) == "\xC3\xA9");
  CHECK(percent_decode("%C3%A9", false) == "\xC3\xA9");
  CHECK(percent_decode("%Ff", false) == "\xFF");
  CHECK(percent_decode("100%25", false) == "100%");
}

TEST_CASE("a decoded percent sign is not decoded again", "[query_string]") {
  CHECK(percent_decode("%2541", false) == "%41");
}

TEST_CASE("text without escapes decodes to itself", "[query_string]") {
  CHECK(percent_decode("", false) == "");
  CHECK(percent_decode("plain-text_~.", false) == "plain-text_~.");
}

TEST_CASE("plus is a space only in form-encoded text", "[query_string]") {
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("a+b", false) == "a+b");
  CHECK(percent_decode("a%2Bb", true) == "a+b");
}

TEST_CASE("an escaped NUL decodes to a NUL byte rather than ending the string", "[query_string]") {
  auto decoded = percent_decode("a%00b", false);
  REQUIRE(decoded);
  CHECK(*decoded == std::string{"a\0b", 3});
}

TEST_CASE("a malformed escape is refused", "[query_string]") {
  auto text = GENERATE(as<std::string>{}, "%", "%%", "%4", "a%", "a%4", "%G1", "%1G", "%zz", "% 1", "%-1", "%+1",
                       "%%41", "ok%2", "%\xC3\xA9", std::string{"%4\0", 3});
  CAPTURE(text);
  CHECK_FALSE(percent_decode(text, false));
  CHECK_FALSE(percent_decode(text, true));
}

TEST_CASE("an escape at the very end of the text is decoded", "[query_string]") {
  CHECK(percent_decode("x%41", false) == "xA");
  CHECK(percent_decode("%41", false) == "A");
}

TEST_CASE("a path without a query is decoded", "[query_string]") {
  auto split = parse_target("/api/v1/tasks/a%20b");
  REQUIRE(split);
  CHECK(split->path == "/api/v1/tasks/a b");
  CHECK(split->query.empty());
}

TEST_CASE("plus in a path stays a plus", "[query_string]") {
  auto split = parse_target("/a+b?x=c+d");
  REQUIRE(split);
  CHECK(split->path == "/a+b");
  CHECK(split->query.find("x")->second == "c d");
}

TEST_CASE("query parameters are split on & and = and decoded", "[query_string]") {
  CHECK(params("/t?status=todo&page=2") == pairs{{"page", "2"}, {"status", "todo"}});
  CHECK(params("/t?q=a%26b%3Dc") == pairs{{"q", "a&b=c"}});
  CHECK(params("/t?na%6De=v") == pairs{{"name", "v"}});
  CHECK(params("/t?a=b=c") == pairs{{"a", "b=c"}});
}

TEST_CASE("repeated parameters keep every value in order", "[query_string]") {
  CHECK(params("/t?a=1&a=2&a=3") == pairs{{"a", "1"}, {"a", "2"}, {"a", "3"}});
}

TEST_CASE("a parameter without = has an empty value", "[query_string]") {
  CHECK(params("/t?flag") == pairs{{"flag", ""}});
  CHECK(params("/t?flag=") == pairs{{"flag", ""}});
  CHECK(params("/t?=v") == pairs{{"", "v"}});
}

TEST_CASE("empty query pieces are skipped", "[query_string]") {
  CHECK(params("/t?").empty());
  CHECK(params("/t?&&").empty());
  CHECK(params("/t?&a=1&&b=2&") == pairs{{"a", "1"}, {"b", "2"}});
}

TEST_CASE("a ? inside the query is data", "[query_string]") {
  CHECK(params("/t?a=?b") == pairs{{"a", "?b"}});
}

TEST_CASE("a target that is not origin-form is refused", "[query_string]") {
  auto target = GENERATE(as<std::string>{}, "", "*", "?a=1", "api/v1/tasks", "http://example.com/api",
                         "example.com:443", " /t", "\\t");
  CAPTURE(target);
  CHECK_FALSE(parse_target(target));
}

TEST_CASE("a fragment in the path is refused", "[query_string]") {
  CHECK_FALSE(parse_target("/api/v1/tasks#frag"));
  CHECK_FALSE(parse_target("/#"));
}

TEST_CASE("a malformed escape anywhere in the target refuses it", "[query_string]") {
  CHECK_FALSE(parse_target("/api/%zz"));
  CHECK_FALSE(parse_target("/api/%"));
  CHECK_FALSE(parse_target("/t?a=%"));
  CHECK_FALSE(parse_target("/t?a%=1"));
  CHECK_FALSE(parse_target("/t?ok=1&bad=%4"));
}

TEST_CASE("the root path and repeated slashes are kept as sent", "[query_string]") {
  REQUIRE(parse_target("/"));
  CHECK(parse_target("/")->path == "/");
  CHECK(parse_target("//a//b/")->path == "//a//b/");
}

TEST_CASE("a very long query is handled", "[query_string]") {
  std::string target = "/t?";
  for (int i = 0; i < 10'000; ++i)
    target += "k" + std::to_string(i) + "=%41&";
  auto split = parse_target(target);
  REQUIRE(split);
  CHECK(split->query.size() == 10'000);
  CHECK(split->query.find("k9999")->second == "A");
}

// The path is percent-decoded before the router splits it on '/', so an escaped
// slash must not survive as a separator: RFC 3986 §2.2 and §6.2.2.2 say a
// percent-encoded reserved character is not the character itself. Such a
// target is refused.
TEST_CASE("an escaped slash does not become a path separator", "[query_string]") {
  auto split = parse_target("/api/v1/tasks%2Fabc");
  CHECK((!split || split->path != "/api/v1/tasks/abc"));
  split = parse_target("/api/v1/tasks/a%2fb");
  CHECK((!split || split->path != "/api/v1/tasks/a/b"));
}
