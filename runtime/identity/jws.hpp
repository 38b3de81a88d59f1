// Compact JWS (RFC 7515 §7.1) with the two algorithms our signing keys have:
// ES256 for EC P-256 and RS256 for RSA (RFC 7518 §3.3–3.4).
// The key is parsed once and kept as an OpenSSL object. libjwt, which we used
// before, takes keys only as PEM and decodes them on every call: 0.6 ms per
// signature and 0.5 ms per verification on our machines, against 30 µs and
// 80 µs with the parsed key (docs/security.md).
// The algorithm is the key's, never the token's: a token whose header names
// another (`none`, HS256 with the public key as secret) fails before its
// signature is looked at.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>
#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

namespace taskflow::runtime {

class jws_key {
public:
  // A private key: EC P-256 (ES256) or RSA (RS256). Other keys are refused.
  static caf::expected<jws_key> from(std::shared_ptr<EVP_PKEY> key);

  // "ES256" or "RS256".
  const std::string& algorithm() const { return algorithm_; }

  // `header`, a JSON object, gains "alg"; the compact serialization of
  // `payload` under it.
  caf::expected<std::string> sign(nlohmann::json header, std::string_view payload) const;

  // Whether `signature` (the decoded third part) is this key's signature of
  // `signing_input` (the first two parts, as sent).
  bool verifies(std::string_view signing_input, std::string_view signature) const;

private:
  jws_key(std::shared_ptr<EVP_PKEY> key, std::string algorithm)
      : key_(std::move(key)), algorithm_(std::move(algorithm)) {}

  // Shared, never modified after loading: OpenSSL lets threads use one key at once.
  std::shared_ptr<EVP_PKEY> key_;
  std::string algorithm_;
};

// A compact JWS taken apart, its signature not yet checked.
struct compact_jws {
  nlohmann::json header;  // a JSON object
  std::string_view signing_input;
  std::string payload;    // decoded, still unverified bytes
  std::string signature;  // decoded
};

// Exactly three base64url parts (strict: no padding, no stray bits) whose
// first is a JSON object naming its "alg" and with no "crit" (we understand no
// extensions, so RFC 7515 §4.1.11 says refuse). Empty when any of that fails.
std::optional<compact_jws> split_compact_jws(std::string_view token);

}  // namespace taskflow::runtime
