// The keys that sign and verify access tokens. By default they live in the
// shared store: the first node to start generates an ES256 (P-256) key, every
// node loads the same keys, and a key older than the rotation period is
// replaced by a new one at start while older keys keep verifying the tokens
// they signed. A PEM file given by configuration (EC P-256 or RSA) replaces
// the stored keys entirely, for operators who manage keys themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/services/credential_store.hpp"
#include "runtime/identity/jws.hpp"
#include "runtime/identity/key_wrap.hpp"

namespace taskflow::runtime {

struct signing_key {
  std::string kid;
  std::string algorithm;  // "ES256" or "RS256"
  std::string private_pem;
  std::string public_pem;
  std::string jwk_json;  // the public key as a JWK object (RFC 7517)
  jws_key jws;           // the parsed key that signs and verifies
};

class signing_keyring {
public:
  // With `wrap`, a new key is stored sealed under it and sealed keys are
  // opened with it; keys stored in clear before it was given still load, and
  // are sealed when the next rotation replaces them. Sealed keys without it,
  // or with another, are an error.
  static caf::expected<std::shared_ptr<signing_keyring>> from_store(ports::credential_store& store, std::int64_t now_ms,
                                                                    std::chrono::milliseconds rotation,
                                                                    const key_wrap* wrap = nullptr);
  static caf::expected<std::shared_ptr<signing_keyring>> from_pem_file(const std::filesystem::path& file);

  // The key new tokens are signed with.
  const signing_key& current() const { return keys_.front(); }
  // Every key a token may have been signed with, newest first.
  const std::vector<signing_key>& keys() const { return keys_; }
  // {"keys": [...]} for /.well-known/jwks.json.
  std::string jwks_json() const;

private:
  explicit signing_keyring(std::vector<signing_key> keys) : keys_(std::move(keys)) {}
  std::vector<signing_key> keys_;
};

// A fresh ES256 key as the store keeps it; its kid is the RFC 7638 thumbprint.
caf::expected<ports::signing_key_record> generate_es256_key(std::int64_t now_ms);

// Derives kid and JWK from a private key PEM (EC P-256 or RSA).
caf::expected<signing_key> load_signing_key(const std::string& private_pem);

}  // namespace taskflow::runtime
