// Keeps this node's revocation set and API-key cache in step with the rest
// of the cluster: first the sessions the identity store already knows are
// revoked, then every session_revoked and api_key_revoked event as it comes.
// Every node needs every such event, so each has a durable consumer of its own.
#pragma once

#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "actors/ports/event_bus.hpp"
#include "actors/ports/identity_store.hpp"
#include "runtime/identity/api_key_cache.hpp"
#include "runtime/identity/revocation_set.hpp"

namespace taskflow::runtime {

caf::expected<std::unique_ptr<ports::bus_subscription>> listen_for_revocations(ports::event_bus& bus,
                                                                               ports::identity_store& identities,
                                                                               const std::string& node_id,
                                                                               std::shared_ptr<revocation_set> revoked,
                                                                               std::shared_ptr<api_key_cache> api_keys);

}  // namespace taskflow::runtime
