// The runtime's identity handle for the edge, one service per concept:
// accounts (registration, the caller's own account), sessions (sign-in,
// refresh, sign-out), API keys, OAuth2 clients, the client-credentials grant,
// and authentication of each request's credential. The rules live in the
// user, session and credential deciders under actors/; the services hash,
// store and send. Store reads and Argon2 hashing run on the identity pool
// the node hands in, never on an edge I/O thread or an actor; callbacks run
// on that pool or on an actor thread, and the edge posts them back to its
// own executor.
#pragma once

#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "runtime/identity/account_service.hpp"
#include "runtime/identity/api_key_service.hpp"
#include "runtime/identity/authenticator.hpp"
#include "runtime/identity/client_credentials_grant.hpp"
#include "runtime/identity/client_registry.hpp"
#include "runtime/identity/identity_context.hpp"
#include "runtime/identity/session_service.hpp"

namespace taskflow::runtime {

class identity_gateway {
public:
  // `work` must outlive the gateway's last job: the node drains it first.
  identity_gateway(caf::actor_system& system, identity_dependencies deps, ports::blocking_executor& work,
                   shard_request_env routing);
  identity_gateway(const identity_gateway&) = delete;
  identity_gateway& operator=(const identity_gateway&) = delete;

  account_service& accounts() { return accounts_; }
  session_service& sessions() { return sessions_; }
  api_key_service& api_keys() { return api_keys_; }
  client_registry& clients() { return clients_; }
  client_credentials_grant& client_credentials() { return client_credentials_; }
  authenticator& authentication() { return authentication_; }
  ports::identity_store& identities() { return *ctx_.identities; }

  std::string jwks_json() const;

private:
  shard_requester requests_;
  identity_context ctx_;
  account_service accounts_{ctx_};
  session_service sessions_{ctx_};
  api_key_service api_keys_{ctx_};
  client_registry clients_{ctx_};
  client_credentials_grant client_credentials_{ctx_};
  authenticator authentication_{ctx_};
};

}  // namespace taskflow::runtime
