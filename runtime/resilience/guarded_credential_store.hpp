// API keys, OAuth2 clients and signing keys behind the store's dependency
// guard: with PostgreSQL down, a request with an API key the cache does not
// hold fails at once (503 with Retry-After) instead of waiting for a connect
// timeout on the identity pool, and those failures open the breaker like any
// other. Reads are retried; writes are not, because one whose outcome is
// unknown may have happened.
#pragma once

#include <memory>

#include "actors/ports/services/credential_store.hpp"
#include "runtime/resilience/dependency_guard.hpp"

namespace taskflow::runtime {

class guarded_credential_store final : public ports::credential_store {
public:
  guarded_credential_store(std::shared_ptr<ports::credential_store> credentials,
                           std::shared_ptr<dependency_guard> guard);

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
  std::shared_ptr<ports::credential_store> credentials_;
  std::shared_ptr<dependency_guard> guard_;
};

}  // namespace taskflow::runtime
