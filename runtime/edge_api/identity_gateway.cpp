#include "runtime/edge_api/identity_gateway.hpp"

#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {

identity_gateway::identity_gateway(caf::actor_system& system, identity_dependencies deps,
                                   ports::blocking_executor& work, shard_request_env routing)
    : requests_(system, std::move(routing)), ctx_{std::move(deps), work, requests_, {}} {
  ctx_.dummy_hash = ctx_.hasher.hash(random_token()).value_or("");
}

std::string identity_gateway::jwks_json() const {
  return ctx_.tokens->keys().jwks_json();
}

}  // namespace taskflow::runtime
