// A supervised service as those who talk to it hold it. The supervisor
// registers each incarnation of a child under the child's name (child_spec),
// so a handle resolves that name whenever its holder sends, and a restart
// never leaves the holder with a dead actor. Handles are made where the node
// is wired and passed in at construction, so a holder's constructor or deps
// say which services it talks to.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>

#include "runtime/atoms.hpp"

namespace taskflow::runtime {

template <caf::atom_value RegistryName>
class service_handle {
public:
  explicit service_handle(caf::actor_system& system) : system_(&system) {}

  // The running incarnation; invalid while the service restarts, and on a
  // node that does not run it (an edge-only node runs no worker service).
  caf::actor current() const { return system_->registry().get<caf::actor>(RegistryName); }

private:
  caf::actor_system* system_;
};

using shard_host_handle = service_handle<shard_host_name>;
using outbox_relay_handle = service_handle<outbox_relay_name>;
using admin_agent_handle = service_handle<admin_agent_name>;
using reminder_wheel_handle = service_handle<reminder_wheel_name>;
using webhook_dispatcher_handle = service_handle<webhook_dispatcher_name>;

}  // namespace taskflow::runtime
