// credential_store on PostgreSQL: API keys, OAuth2 clients and signing keys.
#pragma once

#include <memory>

#include "actors/ports/services/credential_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_credential_store final : public ports::credential_store {
public:
  explicit pg_credential_store(std::shared_ptr<pg_pool> pool);

  caf::expected<void> insert_api_key(const ports::api_key_record& key) override;
  caf::expected<std::optional<ports::api_key_record>> find_api_key(const std::string& key_hash) override;
  caf::expected<ports::api_key_record> revoke_api_key(const std::string& user_id, const std::string& key_id,
                                                      std::int64_t now_ms, messages::EventEnvelope event) override;
  caf::expected<void> insert_client(const ports::oauth_client_record& client) override;
  caf::expected<std::optional<ports::oauth_client_record>> find_client(const std::string& client_id) override;
  caf::expected<std::vector<ports::signing_key_record>> signing_keys() override;
  caf::expected<std::vector<ports::signing_key_record>> add_signing_key(const ports::signing_key_record& key,
                                                                        std::int64_t unless_newer_than_ms) override;

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
