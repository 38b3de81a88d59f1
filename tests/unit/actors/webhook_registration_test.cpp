// What a webhook registration must say: its URL and its event types.
#include <catch2/catch.hpp>

#include "actors/notification/webhook_registration.hpp"

using namespace taskflow::notification;

namespace {

std::optional<webhook_target> parse(std::string_view url) {
  taskflow::messages::field_errors errors;
  auto target = parse_webhook_url(url, errors);
  CHECK(target.has_value() == errors.empty());
  return target;
}

}  // namespace

TEST_CASE("http and https URLs give their host and port", "[webhook_registration]") {
  auto a = parse("https://hooks.example.com/in?x=1");
  REQUIRE(a);
  CHECK(a->scheme == "https");
  CHECK(a->host == "hooks.example.com");
  CHECK(a->port == 443);
  auto b = parse("HTTP://127.0.0.1:9000");
  REQUIRE(b);
  CHECK(b->scheme == "http");
  CHECK(b->host == "127.0.0.1");
  CHECK(b->port == 9000);
  auto c = parse("http://[::1]:8080/hook");
  REQUIRE(c);
  CHECK(c->host == "::1");
  CHECK(c->port == 8080);
}

TEST_CASE("URLs a webhook cannot use are refused on the url field", "[webhook_registration]") {
  for (const char* url : {"", "ftp://example.com/", "example.com/hook", "file:///etc/passwd", "http://",
                          "http://user:pw@example.com/", "http://example.com:0/", "http://example.com:70000/",
                          "http://example.com:80x/", "http://exa mple.com/", "http://[::1/", "gopher://x/"}) {
    taskflow::messages::field_errors errors;
    CHECK_FALSE(parse_webhook_url(url, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field() == "url");
  }
  taskflow::messages::field_errors errors;
  CHECK_FALSE(parse_webhook_url("https://example.com/" + std::string(2100, 'a'), errors));
}

TEST_CASE("event types must be known and at least one", "[webhook_registration]") {
  taskflow::messages::field_errors errors;
  auto types = checked_event_types({"task.assigned", "task.overdue", "task.assigned"}, errors);
  CHECK(errors.empty());
  CHECK(types == std::vector<std::string>{"task.assigned", "task.overdue"});
  checked_event_types({}, errors);
  CHECK(errors.size() == 1);
  checked_event_types({"task.deleted"}, errors);
  CHECK(errors.size() == 2);
  CHECK(errors[1].field() == "events");
}
