#include "actors/notification/webhook_address_policy.hpp"

#include <arpa/inet.h>

#include <string>

namespace taskflow::notification {
namespace {

struct v4_block {
  std::uint8_t a, b, c, d;
  int prefix;
  std::string_view reason;
};

// RFC 6890's special-purpose blocks a webhook has no business reaching.
constexpr v4_block v4_refused[] = {
    {0, 0, 0, 0, 8, "unspecified"}, {10, 0, 0, 0, 8, "private"},        {100, 64, 0, 0, 10, "shared (CGNAT)"},
    {127, 0, 0, 0, 8, "loopback"},  {169, 254, 0, 0, 16, "link-local"}, {172, 16, 0, 0, 12, "private"},
    {192, 0, 0, 0, 24, "reserved"}, {192, 168, 0, 0, 16, "private"},    {198, 18, 0, 0, 15, "reserved"},
    {224, 0, 0, 0, 4, "multicast"}, {240, 0, 0, 0, 4, "reserved"},
};

bool in_prefix(const std::uint8_t* bytes, const std::uint8_t* block, int prefix) {
  for (int bit = 0; bit < prefix; ++bit) {
    auto mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
    if ((bytes[bit / 8] & mask) != (block[bit / 8] & mask))
      return false;
  }
  return true;
}

std::optional<std::string_view> refused_v4(const std::uint8_t* bytes) {
  for (const auto& block : v4_refused) {
    const std::uint8_t start[4] = {block.a, block.b, block.c, block.d};
    if (in_prefix(bytes, start, block.prefix))
      return block.reason;
  }
  return std::nullopt;
}

bool all_zero(const std::uint8_t* bytes, int count) {
  for (int i = 0; i < count; ++i)
    if (bytes[i] != 0)
      return false;
  return true;
}

}  // namespace

std::optional<ip_address> parse_ip_address(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  std::string copy{text};
  ip_address out;
  if (inet_pton(AF_INET, copy.c_str(), out.bytes.data()) == 1)
    return out;
  out.v6 = true;
  if (inet_pton(AF_INET6, copy.c_str(), out.bytes.data()) == 1)
    return out;
  return std::nullopt;
}

std::optional<std::string_view> refused_address(const ip_address& address) {
  const auto* b = address.bytes.data();
  if (!address.v6)
    return refused_v4(b);
  if (all_zero(b, 16))
    return "unspecified";
  if (all_zero(b, 15) && b[15] == 1)
    return "loopback";
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated compatible form)
  // reach the IPv4 address they carry.
  if (all_zero(b, 10) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
    return refused_v4(b + 12);
  // NAT64 (64:ff9b::/96) translates to the IPv4 address it carries.
  static constexpr std::uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};
  if (in_prefix(b, nat64, 96))
    return refused_v4(b + 12);
  if ((b[0] & 0xfe) == 0xfc)
    return "unique-local";
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
    return "link-local";
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
    return "site-local";
  if (b[0] == 0xff)
    return "multicast";
  return std::nullopt;
}

}  // namespace taskflow::notification
