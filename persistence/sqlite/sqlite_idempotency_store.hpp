// idempotency_store on SQLite: Idempotency-Key records in the store's file,
// under its single-writer lock, so a claim is one short transaction.
#pragma once

#include <memory>

#include "actors/ports/services/idempotency_store.hpp"

namespace taskflow::persistence {

class sqlite_pool;

class sqlite_idempotency_store final : public ports::idempotency_store {
public:
  explicit sqlite_idempotency_store(std::shared_ptr<sqlite_pool> pool);

  caf::expected<ports::idempotency_claim> claim(const ports::claim_request& request) override;
  caf::expected<bool> complete(const ports::idempotency_scope& scope, const std::string& lease_token,
                               const ports::stored_response& response) override;
  caf::expected<void> release(const ports::idempotency_scope& scope, const std::string& lease_token) override;
  caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) override;

private:
  std::shared_ptr<sqlite_pool> pool_;
};

}  // namespace taskflow::persistence
