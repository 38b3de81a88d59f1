// Idempotency-Key records behind the store's dependency guard: with
// PostgreSQL down a keyed request fails at once (503 with Retry-After)
// instead of waiting for a connect timeout before its command even starts.
// Claims and completions are not retried, because one whose outcome is
// unknown may have happened (a retried claim would find its own lease and
// answer 409); releases and purges are safe to repeat.
#pragma once

#include <memory>

#include "actors/ports/services/idempotency_store.hpp"
#include "runtime/resilience/dependency_guard.hpp"

namespace taskflow::runtime {

class guarded_idempotency_store final : public ports::idempotency_store {
public:
  guarded_idempotency_store(std::shared_ptr<ports::idempotency_store> keys, std::shared_ptr<dependency_guard> guard);

  caf::expected<ports::idempotency_claim> claim(const ports::claim_request& request) override;
  caf::expected<bool> complete(const ports::idempotency_scope& scope, const std::string& lease_token,
                               const ports::stored_response& response) override;
  caf::expected<void> release(const ports::idempotency_scope& scope, const std::string& lease_token) override;
  caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) override;

private:
  std::shared_ptr<ports::idempotency_store> keys_;
  std::shared_ptr<dependency_guard> guard_;
};

}  // namespace taskflow::runtime
