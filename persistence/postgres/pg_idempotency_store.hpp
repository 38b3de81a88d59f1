// idempotency_store on PostgreSQL: Idempotency-Key records shared by every
// edge. A claim inserts the row or, when it exists, locks it (FOR UPDATE)
// before deciding, so concurrent claims on any nodes see exactly one winner.
#pragma once

#include <memory>

#include "actors/ports/services/idempotency_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_idempotency_store final : public ports::idempotency_store {
public:
  explicit pg_idempotency_store(std::shared_ptr<pg_pool> pool);

  caf::expected<ports::idempotency_claim> claim(const ports::claim_request& request) override;
  caf::expected<bool> complete(const ports::idempotency_scope& scope, const std::string& lease_token,
                               const ports::stored_response& response) override;
  caf::expected<void> release(const ports::idempotency_scope& scope, const std::string& lease_token) override;
  caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) override;

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
