#include "runtime/gateway/idempotency_gateway.hpp"

namespace taskflow::runtime {
idempotency_gateway::idempotency_gateway(ports::blocking_executor& pool,
                                         std::shared_ptr<ports::idempotency_store> store, idempotency_policy policy,
                                         std::function<std::int64_t()> now_ms)
    : pool_(pool), store_(std::move(store)), policy_(policy), now_ms_(std::move(now_ms)) {}

template <class T>
void idempotency_gateway::run(std::function<caf::expected<T>()> call, std::function<void(caf::expected<T>)> done) {
  if (!pool_.post([call = std::move(call), done]() { done(call()); }))
    done(ports::pool_full_error());
}

void idempotency_gateway::claim(idempotency_scope scope, std::string fingerprint,
                                std::function<void(caf::expected<idempotency_claim>)> done) {
  ports::claim_request request{std::move(scope), std::move(fingerprint), now_ms_(), policy_.lease.count(),
                               policy_.ttl.count()};
  run<idempotency_claim>([store = store_, request = std::move(request)] { return store->claim(request); },
                         std::move(done));
}

void idempotency_gateway::complete(idempotency_scope scope, std::string lease_token, stored_response response,
                                   std::function<void(caf::expected<bool>)> done) {
  run<bool>([store = store_, scope = std::move(scope), token = std::move(lease_token),
             response = std::move(response)] { return store->complete(scope, token, response); },
            std::move(done));
}

void idempotency_gateway::release(idempotency_scope scope, std::string lease_token,
                                  std::function<void(caf::expected<void>)> done) {
  run<void>([store = store_, scope = std::move(scope),
             token = std::move(lease_token)] { return store->release(scope, token); },
            std::move(done));
}

}  // namespace taskflow::runtime
