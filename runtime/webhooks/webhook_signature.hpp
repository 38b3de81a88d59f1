// Standard Webhooks signing: secrets are "whsec_" + base64 of random bytes,
// and a delivery carries webhook-signature "v1,<base64 HMAC-SHA256 of
// '<webhook-id>.<webhook-timestamp>.<body>' keyed by the secret's bytes>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskflow::runtime {

// A fresh secret: "whsec_" and base64 of 32 random bytes.
std::string new_webhook_secret();

// The key bytes of a "whsec_..." secret; nullopt when it lacks the prefix,
// is not base64, or holds fewer than 24 or more than 64 bytes.
std::optional<std::string> webhook_secret_key(std::string_view secret);

// "v1,<signature>" for one delivery attempt.
std::string webhook_signature(std::string_view key, std::string_view webhook_id, std::int64_t timestamp_s,
                              std::string_view body);

}  // namespace taskflow::runtime
