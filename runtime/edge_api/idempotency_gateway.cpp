#include "runtime/edge_api/idempotency_gateway.hpp"

#include "messages/common/errors.hpp"
#include "runtime/edge_api/post_or_refuse.hpp"

namespace taskflow::runtime {
idempotency_gateway::idempotency_gateway(ports::blocking_executor& pool,
                                         std::shared_ptr<ports::idempotency_store> store, idempotency_policy policy,
                                         std::function<std::int64_t()> now_ms)
    : pool_(pool), store_(std::move(store)), policy_(policy), now_ms_(std::move(now_ms)) {}

namespace {

messages::Error unavailable(const caf::error& cause) {
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE, ports::error_detail(cause));
}

}  // namespace

template <class T>
void idempotency_gateway::run(std::function<caf::expected<T>()> call, outcome_handler<T> done) {
  auto answer = [call = std::move(call), done]() {
    auto result = call();
    if (!result)
      return done(unavailable(result.error()));
    done(std::move(*result));
  };
  post_or_refuse(pool_, done, std::move(answer));
}

void idempotency_gateway::claim(idempotency_scope scope, std::string fingerprint,
                                outcome_handler<idempotency_claim> done) {
  ports::claim_request request{std::move(scope), std::move(fingerprint), now_ms_(), policy_.lease.count(),
                               policy_.ttl.count()};
  run<idempotency_claim>([store = store_, request = std::move(request)] { return store->claim(request); },
                         std::move(done));
}

void idempotency_gateway::complete(idempotency_scope scope, std::string lease_token, stored_response response,
                                   outcome_handler<bool> done) {
  run<bool>([store = store_, scope = std::move(scope), token = std::move(lease_token),
             response = std::move(response)] { return store->complete(scope, token, response); },
            std::move(done));
}

void idempotency_gateway::settle(idempotency_scope scope, std::string lease_token,
                                 std::optional<stored_response> response,
                                 std::function<void(std::optional<std::string>)> done) {
  if (!response)
    return release(std::move(scope), std::move(lease_token),
                   [done = std::move(done)](const outcome<bool>&) { done(std::nullopt); });
  complete(std::move(scope), std::move(lease_token), std::move(*response),
           [done = std::move(done)](const outcome<bool>& stored) {
             if (const auto* e = failed(stored))
               return done(e->detail());
             done(std::get<bool>(stored) ? std::nullopt : std::optional<std::string>{"the claim was taken over"});
           });
}

void idempotency_gateway::release(idempotency_scope scope, std::string lease_token, outcome_handler<bool> done) {
  run<bool>(
      [store = store_, scope = std::move(scope), token = std::move(lease_token)]() -> caf::expected<bool> {
        if (auto released = store->release(scope, token); !released)
          return released.error();
        return true;
      },
      std::move(done));
}

}  // namespace taskflow::runtime
