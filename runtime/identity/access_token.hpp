// JWT access tokens (RFC 7519) as compact JWS (runtime/identity/jws.hpp).
// Verification pins the algorithm to the key's own (ES256 or RS256), so
// "alg": "none" and the RS/HS confusion attack fail before any claim is read,
// then checks expiry, not-before, issuer and audience.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <caf/expected.hpp>

#include "runtime/identity/signing_keyring.hpp"

namespace taskflow::runtime {

struct access_claims {
  std::string subject;     // sub: user id, or OAuth2 client id
  std::string session_id;  // sid: empty for client-credentials tokens
  std::string token_id;    // jti
  std::vector<std::string> roles;
  std::vector<std::string> scopes;  // "scope", space-separated on the wire
  std::int64_t issued_at_s = 0;
  std::int64_t expires_at_s = 0;
};

struct token_settings {
  std::string issuer = "taskflow";
  std::string audience = "taskflow-api";
  std::chrono::seconds leeway{30};  // clock skew tolerated on exp and nbf
  // The longest life (exp - iat) this node issues. Longer means the token was
  // not minted by us as configured (a stolen signing key, say): refused, so
  // it cannot outlive every session and every key rotation.
  std::chrono::seconds max_lifetime{15 * 60};
};

// Why a token was refused; the edge logs it and tells the client only "invalid".
struct token_rejection {
  std::string reason;
};

class access_token_codec {
public:
  access_token_codec(std::shared_ptr<const signing_keyring> keys, token_settings settings)
      : keys_(std::move(keys)), settings_(std::move(settings)) {}

  caf::expected<std::string> issue(const access_claims& claims) const;
  std::variant<access_claims, token_rejection> verify(std::string_view token, std::int64_t now_s) const;

  const token_settings& settings() const { return settings_; }
  const signing_keyring& keys() const { return *keys_; }

private:
  std::shared_ptr<const signing_keyring> keys_;
  token_settings settings_;
};

}  // namespace taskflow::runtime
