// The runtime's handle on Idempotency-Key records for the HTTP edge, which may
// not reach a store itself. Store calls block, so each runs on the store pool
// and answers through a callback there; when the pool is full the callback
// gets "unavailable" at once, on the caller's thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <caf/expected.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/idempotency_store.hpp"
#include "runtime/edge_api/outcome.hpp"

namespace taskflow::runtime {

using ports::claim_status;
using ports::error_detail;
using ports::idempotency_claim;
using ports::idempotency_scope;
using ports::stored_response;

struct idempotency_policy {
  // How long an unfinished first request blocks its key; longer than any
  // request may run, so only a crashed request's claim ever lapses.
  std::chrono::milliseconds lease{std::chrono::seconds{10}};
  // API.md: keys are remembered for 24 h.
  std::chrono::milliseconds ttl{std::chrono::hours{24}};
};

class idempotency_gateway {
public:
  idempotency_gateway(ports::blocking_executor& pool, std::shared_ptr<ports::idempotency_store> store,
                      idempotency_policy policy, std::function<std::int64_t()> now_ms);

  // A store that cannot answer is UNAVAILABLE, in the store's own words.
  void claim(idempotency_scope scope, std::string fingerprint, outcome_handler<idempotency_claim> done);

  // `done` gets false when the lease had been taken over (nothing stored).
  void complete(idempotency_scope scope, std::string lease_token, stored_response response, outcome_handler<bool> done);

  // `done` gets true once the claim is gone.
  void release(idempotency_scope scope, std::string lease_token, outcome_handler<bool> done);

  // Ends a claimed request the way every edge does: its answer is stored
  // for replays, or, when there is none to keep (an answer a retry may
  // change), the key is released so a retry runs again. `done` gets why the
  // answer could not be stored, or nothing; the answer stands either way.
  void settle(idempotency_scope scope, std::string lease_token, std::optional<stored_response> response,
              std::function<void(std::optional<std::string>)> done);

private:
  template <class T>
  void run(std::function<caf::expected<T>()> call, outcome_handler<T> done);

  ports::blocking_executor& pool_;
  std::shared_ptr<ports::idempotency_store> store_;
  idempotency_policy policy_;
  std::function<std::int64_t()> now_ms_;
};

}  // namespace taskflow::runtime
