#include "runtime/resilience/guarded_idempotency_store.hpp"

namespace taskflow::runtime {

guarded_idempotency_store::guarded_idempotency_store(std::shared_ptr<ports::idempotency_store> keys,
                                                     std::shared_ptr<dependency_guard> guard)
    : keys_(std::move(keys)), guard_(std::move(guard)) {}

caf::expected<ports::idempotency_claim> guarded_idempotency_store::claim(const ports::claim_request& request) {
  return guard_->call(false, [&] { return keys_->claim(request); });
}

caf::expected<bool> guarded_idempotency_store::complete(const ports::idempotency_scope& scope,
                                                        const std::string& lease_token,
                                                        const ports::stored_response& response) {
  return guard_->call(false, [&] { return keys_->complete(scope, lease_token, response); });
}

caf::expected<void> guarded_idempotency_store::release(const ports::idempotency_scope& scope,
                                                       const std::string& lease_token) {
  return guard_->call(true, [&] { return keys_->release(scope, lease_token); });
}

caf::expected<std::int64_t> guarded_idempotency_store::purge_expired(std::int64_t now_ms) {
  return guard_->call(true, [&] { return keys_->purge_expired(now_ms); });
}

}  // namespace taskflow::runtime
