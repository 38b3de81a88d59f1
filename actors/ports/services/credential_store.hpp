// Port: credentials that are not aggregates — API keys, OAuth2 clients and
// the JWT signing keys every edge shares. Only hashes of API keys and client
// secrets are stored.
// A service port: actors never call it; only runtime services do (the
// identity gateway and the signing keyring).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "messages/events/event_envelope.pb.h"

namespace taskflow::ports {

struct api_key_record {
  std::string id;
  std::string user_id;
  std::string name;
  std::string prefix;    // the visible start of the key, to tell keys apart
  std::string key_hash;  // SHA-256 of the whole key, hex
  std::vector<std::string> scopes;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> revoked_at_ms;
};

struct oauth_client_record {
  std::string client_id;
  std::string name;
  std::string secret_hash;  // SHA-256 of the secret, hex
  std::vector<std::string> scopes;
  std::string created_by;
  std::int64_t created_at_ms = 0;
};

struct signing_key_record {
  std::string kid;
  std::string algorithm;  // JOSE name, e.g. "ES256"
  std::string private_pem;
  std::string public_pem;
  std::int64_t created_at_ms = 0;
};

class credential_store {
public:
  virtual ~credential_store() = default;

  virtual caf::expected<void> insert_api_key(const api_key_record& key) = 0;
  virtual caf::expected<std::optional<api_key_record>> find_api_key(const std::string& key_hash) = 0;
  // Marks the user's key revoked and queues `event` on the outbox in the same
  // transaction. store_errc::not_found when the user has no such live key.
  virtual caf::expected<api_key_record> revoke_api_key(const std::string& user_id, const std::string& key_id,
                                                       std::int64_t now_ms, messages::EventEnvelope event) = 0;

  // store_errc::duplicate_key when the client id is taken.
  virtual caf::expected<void> insert_client(const oauth_client_record& client) = 0;
  virtual caf::expected<std::optional<oauth_client_record>> find_client(const std::string& client_id) = 0;

  // Every signing key, newest first.
  virtual caf::expected<std::vector<signing_key_record>> signing_keys() = 0;
  // Adds a key unless one newer than `unless_newer_than_ms` exists (so nodes
  // starting together agree on one); answers the keys after the call.
  virtual caf::expected<std::vector<signing_key_record>> add_signing_key(const signing_key_record& key,
                                                                         std::int64_t unless_newer_than_ms) = 0;
};

}  // namespace taskflow::ports
