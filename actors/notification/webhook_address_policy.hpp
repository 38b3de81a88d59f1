// Which addresses a webhook may reach (the SSRF guard): a pure function over
// parsed IP addresses. The sender resolves a target's host, asks this about
// every address it got, and connects only to one that passed, so a name that
// resolves to an internal address (or a metadata service) is refused however
// it is spelled.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace taskflow::notification {

struct ip_address {
  bool v6 = false;
  // IPv4 in the first four bytes; IPv6 in all sixteen, network order.
  std::array<std::uint8_t, 16> bytes{};
};

// A literal IPv4 ("10.0.0.1") or IPv6 ("::1", "[::1]") address; nullopt for
// anything else, host names included.
std::optional<ip_address> parse_ip_address(std::string_view text);

// Why a webhook must not reach `address` ("loopback", "private",
// "link-local", ...), or nullopt when it is a public unicast address.
// IPv4-mapped and IPv4-embedding IPv6 forms are judged by the IPv4 address
// they carry, so ::ffff:127.0.0.1 is loopback too.
std::optional<std::string_view> refused_address(const ip_address& address);

}  // namespace taskflow::notification
