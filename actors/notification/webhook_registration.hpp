// What a webhook registration must say (API.md, Notifications: webhooks):
// an absolute http(s) URL and a non-empty set of known event types. Pure;
// whether the URL's host may be reached is webhook_address_policy's call,
// made on its resolved addresses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/common/field_errors.hpp"

namespace taskflow::notification {

inline constexpr std::size_t max_webhook_url_length = 2048;

struct webhook_target {
  std::string scheme;  // "http" or "https"
  std::string host;    // a name or a literal address, IPv6 without brackets
  std::uint16_t port = 0;
};

// The target of `url`, or nullopt with an entry in `errors` (field "url")
// saying what is wrong: not http(s), credentials in it, no host, a bad port.
std::optional<webhook_target> parse_webhook_url(std::string_view url, messages::field_errors& errors);

// The event types a webhook may ask for: the notification types.
bool is_webhook_event_type(std::string_view type);

// `events` deduplicated in their first order, with an entry in `errors`
// (field "events") when it is empty or names an unknown type.
std::vector<std::string> checked_event_types(const std::vector<std::string>& events, messages::field_errors& errors);

// A secret a client brings: "whsec_" and base64 of 24 to 64 bytes, as the
// server makes them. The decoding is the caller's (runtime/webhooks), which
// tells whether the base64 holds; this checks the rest.
bool has_secret_prefix(std::string_view secret);
inline constexpr std::string_view secret_prefix = "whsec_";
inline constexpr std::size_t min_secret_bytes = 24;
inline constexpr std::size_t max_secret_bytes = 64;

}  // namespace taskflow::notification
