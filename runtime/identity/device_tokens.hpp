// Device tokens (OWASP's "device cookies"): proof that a client signed in to
// an account before. Failed sign-ins are counted per client address and
// account, so whoever shares the address (everyone behind one NAT) could
// exhaust that budget and lock the account's owner out. A client that shows
// a device token for the account is counted on its device's own budget
// instead: strangers cannot lock it out, and a guesser still gets only ten
// tries per device, where a device is only had by signing in.
//
// Signed like access tokens (ES256, the same keys, so every node verifies
// them) but for another audience, so neither kind is ever taken for the
// other; `sub` is the account's normalized email, `jti` the device.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/identity/access_token.hpp"

namespace taskflow::runtime {

inline constexpr std::chrono::seconds device_token_lifetime{90LL * 24 * 3600};

class device_tokens {
public:
  device_tokens(std::shared_ptr<const signing_keyring> keys, std::string issuer);

  // A token for `email` (normalized) on `device_id`; empty if it cannot be signed.
  std::string issue(const std::string& email, const std::string& device_id, std::int64_t now_s) const;

  // The device a token names, if it is ours, alive and for `email` (normalized).
  std::optional<std::string> device_of(std::string_view token, std::string_view email, std::int64_t now_s) const;

private:
  access_token_codec codec_;
};

}  // namespace taskflow::runtime
