// Mints JWTs the way an attacker or a misconfigured issuer would, with libjwt
// and OpenSSL, so e2e tests can present expired, early, mis-addressed or
// wrongly signed tokens to the server. The server under test is started with
// this forge's key file, so a token the forge signs correctly is accepted.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace taskflow::e2e {

class token_forge {
public:
  // Generates a fresh P-256 key and writes it as PEM into `dir`.
  explicit token_forge(const std::filesystem::path& dir);

  const std::filesystem::path& key_file() const { return key_file_; }

  // ES256 over `claims` with the forge's key.
  std::string es256(const nlohmann::json& claims) const;
  // HS256 keyed with the public key PEM: the RS/HS confusion attack.
  std::string hs256_with_public_key(const nlohmann::json& claims) const;

private:
  std::filesystem::path key_file_;
  std::string private_pem_;
  std::string public_pem_;
};

// Padded standard base64 (RFC 4648 §4), as HTTP Basic credentials are sent.
std::string base64(std::string_view bytes);

// base64url of a JSON value, for hand-built unsigned tokens ("alg": "none").
std::string base64url_json(const nlohmann::json& value);

}  // namespace taskflow::e2e
