#include "runtime/gateway/idempotency_gateway.hpp"

#include <caf/event_based_actor.hpp>

namespace taskflow::runtime {
namespace {

// One blocking store call on an actor thread. The work is a spawn argument,
// not a capture: CAF 0.17 misbehaves when a function actor gets none.
void blocking_call(caf::event_based_actor* self, const std::function<void()>& work) {
  work();
  self->quit();
}

}  // namespace

idempotency_gateway::idempotency_gateway(caf::actor_system& system, std::shared_ptr<ports::idempotency_store> store,
                                         idempotency_policy policy, std::function<std::int64_t()> now_ms)
    : system_(system), store_(std::move(store)), policy_(policy), now_ms_(std::move(now_ms)) {}

void idempotency_gateway::run(std::function<void()> work) {
  system_.spawn(blocking_call, std::move(work));
}

void idempotency_gateway::claim(idempotency_scope scope, std::string fingerprint,
                                std::function<void(caf::expected<idempotency_claim>)> done) {
  ports::claim_request request{std::move(scope), std::move(fingerprint), now_ms_(), policy_.lease.count(),
                               policy_.ttl.count()};
  run([store = store_, request = std::move(request), done = std::move(done)] { done(store->claim(request)); });
}

void idempotency_gateway::complete(idempotency_scope scope, std::string lease_token, stored_response response,
                                   std::function<void(caf::expected<bool>)> done) {
  run([store = store_, scope = std::move(scope), token = std::move(lease_token), response = std::move(response),
       done = std::move(done)] { done(store->complete(scope, token, response)); });
}

void idempotency_gateway::release(idempotency_scope scope, std::string lease_token,
                                  std::function<void(caf::expected<void>)> done) {
  run([store = store_, scope = std::move(scope), token = std::move(lease_token), done = std::move(done)] {
    done(store->release(scope, token));
  });
}

}  // namespace taskflow::runtime
