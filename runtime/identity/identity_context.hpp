// What the identity services share: the stores, the token codec, the caches,
// the bounded pool their store reads and password hashing run on (so neither
// an edge I/O thread nor an actor ever waits on them), and the requester
// that reaches user and session actors. Owned by the identity gateway, which
// outlives every service that holds a reference to it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/identity_store.hpp"
#include "actors/ports/services/credential_store.hpp"
#include "messages/common/errors.hpp"
#include "runtime/edge_api/outcome.hpp"
#include "runtime/edge_api/post_or_refuse.hpp"
#include "runtime/edge_api/shard_requester.hpp"
#include "runtime/identity/access_token.hpp"
#include "runtime/identity/api_key_cache.hpp"
#include "runtime/identity/device_tokens.hpp"
#include "runtime/identity/identity_types.hpp"
#include "runtime/identity/password_hasher.hpp"
#include "runtime/identity/revocation_set.hpp"

namespace taskflow::runtime {

// What the node wires in.
struct identity_dependencies {
  std::shared_ptr<ports::identity_store> identities;
  std::shared_ptr<ports::credential_store> credentials;
  std::shared_ptr<access_token_codec> tokens;
  std::shared_ptr<const device_tokens> devices;
  std::shared_ptr<revocation_set> revoked;
  std::shared_ptr<api_key_cache> api_keys;
  identity_settings settings;
  password_hasher hasher;
};

struct identity_context : identity_dependencies {
  ports::blocking_executor& work;
  shard_requester& requests;
  // Verified against when an email or client is unknown, so the time an
  // answer takes does not tell which ones exist.
  std::string dummy_hash;
};

messages::Error unauthenticated(std::string detail);
messages::Error identity_store_unavailable(const caf::error& cause);

// Runs `job` on the identity pool, or answers `done` that the pool is full.
template <class T>
void run_blocking(identity_context& ctx, const outcome_handler<T>& done, std::function<void()> job) {
  post_or_refuse(ctx.work, done, std::move(job), "The identity service is busy; retry shortly.");
}

}  // namespace taskflow::runtime
