// Idempotency-Key records in the embedded store's SQLite file, on its pool
// and under its single-writer lock, so a claim is one short transaction.
#pragma once

#include <memory>

#include "actors/ports/idempotency_store.hpp"
#include "persistence/sqlite/sqlite_store.hpp"

namespace taskflow::persistence {

class sqlite_idempotency_store final : public ports::idempotency_store {
public:
  explicit sqlite_idempotency_store(std::shared_ptr<sqlite_store> store);

  caf::expected<ports::idempotency_claim> claim(const ports::claim_request& request) override;
  caf::expected<bool> complete(const ports::idempotency_scope& scope, const std::string& lease_token,
                               const ports::stored_response& response) override;
  caf::expected<void> release(const ports::idempotency_scope& scope, const std::string& lease_token) override;
  caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) override;

private:
  std::shared_ptr<sqlite_store> store_;
};

}  // namespace taskflow::persistence
