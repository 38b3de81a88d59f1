// The SSRF guard's address rule: every internal range refused, in every
// spelling, and public addresses let through.
#include <catch2/catch.hpp>

#include <string>

#include "actors/notification/webhook_address_policy.hpp"

using namespace taskflow::notification;

namespace {

std::optional<std::string_view> verdict(const std::string& text) {
  auto parsed = parse_ip_address(text);
  REQUIRE(parsed);
  return refused_address(*parsed);
}

}  // namespace

TEST_CASE("parse_ip_address takes literal addresses only", "[webhook_address_policy]") {
  CHECK(parse_ip_address("10.1.2.3"));
  CHECK(parse_ip_address("::1"));
  CHECK(parse_ip_address("[fe80::1]"));
  CHECK_FALSE(parse_ip_address("localhost"));
  CHECK_FALSE(parse_ip_address("example.com"));
  CHECK_FALSE(parse_ip_address("10.1.2"));
  CHECK_FALSE(parse_ip_address(""));
  CHECK_FALSE(parse_ip_address("[::1"));
}

TEST_CASE("internal IPv4 ranges are refused", "[webhook_address_policy]") {
  CHECK(verdict("127.0.0.1") == "loopback");
  CHECK(verdict("127.255.255.254") == "loopback");
  CHECK(verdict("10.0.0.1") == "private");
  CHECK(verdict("172.16.0.1") == "private");
  CHECK(verdict("172.31.255.255") == "private");
  CHECK(verdict("192.168.1.1") == "private");
  CHECK(verdict("100.64.0.1") == "shared (CGNAT)");
  CHECK(verdict("100.127.255.255") == "shared (CGNAT)");
  CHECK(verdict("169.254.169.254") == "link-local");
  CHECK(verdict("0.0.0.0") == "unspecified");
  CHECK(verdict("224.0.0.1") == "multicast");
  CHECK(verdict("255.255.255.255") == "reserved");
}

TEST_CASE("the neighbours of those ranges are public", "[webhook_address_policy]") {
  for (const char* text : {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0",
                           "169.253.255.255", "11.0.0.0", "93.184.216.34"})
    CHECK_FALSE(verdict(text));
}

TEST_CASE("internal IPv6 ranges are refused", "[webhook_address_policy]") {
  CHECK(verdict("::1") == "loopback");
  CHECK(verdict("::") == "unspecified");
  CHECK(verdict("fc00::1") == "unique-local");
  CHECK(verdict("fd12:3456::1") == "unique-local");
  CHECK(verdict("fe80::1") == "link-local");
  CHECK(verdict("febf::1") == "link-local");
  CHECK(verdict("ff02::1") == "multicast");
  CHECK(verdict("fd00:ec2::254") == "unique-local");
}

TEST_CASE("IPv6 forms that carry an IPv4 address are judged by it", "[webhook_address_policy]") {
  CHECK(verdict("::ffff:127.0.0.1") == "loopback");
  CHECK(verdict("::ffff:7f00:1") == "loopback");
  CHECK(verdict("::ffff:169.254.169.254") == "link-local");
  CHECK(verdict("::ffff:10.0.0.1") == "private");
  CHECK(verdict("::127.0.0.1") == "loopback");
  CHECK(verdict("64:ff9b::10.0.0.1") == "private");
  CHECK_FALSE(verdict("::ffff:8.8.8.8"));
  CHECK_FALSE(verdict("64:ff9b::8.8.8.8"));
}

TEST_CASE("public IPv6 addresses pass", "[webhook_address_policy]") {
  CHECK_FALSE(verdict("2001:4860:4860::8888"));
  CHECK_FALSE(verdict("2606:4700::1111"));
}
