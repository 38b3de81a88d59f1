// A credential store that holds signing keys only, for tests that need a
// real keyring (token signing and verification) and no API keys or clients.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actors/ports/services/credential_store.hpp"

namespace taskflow::testing {

class key_store final : public ports::credential_store {
public:
  caf::expected<void> insert_api_key(const ports::api_key_record&) override { return caf::unit; }
  caf::expected<std::optional<ports::api_key_record>> find_api_key(const std::string&) override {
    return std::optional<ports::api_key_record>{};
  }
  caf::expected<ports::api_key_record> revoke_api_key(const std::string&, const std::string&, std::int64_t,
                                                      messages::EventEnvelope) override {
    return ports::make_error(ports::store_errc::not_found, "");
  }
  caf::expected<void> insert_client(const ports::oauth_client_record&) override { return caf::unit; }
  caf::expected<std::optional<ports::oauth_client_record>> find_client(const std::string&) override {
    return std::optional<ports::oauth_client_record>{};
  }
  caf::expected<std::vector<ports::signing_key_record>> signing_keys() override { return keys; }
  caf::expected<std::vector<ports::signing_key_record>> add_signing_key(const ports::signing_key_record& key,
                                                                        std::int64_t unless_newer_than_ms) override {
    if (keys.empty() || keys.front().created_at_ms <= unless_newer_than_ms)
      keys.insert(keys.begin(), key);
    return keys;
  }
  std::vector<ports::signing_key_record> keys;
};

}  // namespace taskflow::testing
