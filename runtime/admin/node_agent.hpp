// The admin agent of one node: answers the admin gateway (of this or any
// other node) about this node's shard host. It lists resident actors, shows
// one actor (live from the actor when resident, otherwise read-only from the
// store, never activating it), and passivates one. Registered as
// admin_agent_name; the protocol is messages/admin/admin.proto, so a remote
// gateway reaches it through the middleman.
#pragma once

#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/event_history.hpp"
#include "actors/ports/identity_store.hpp"
#include "actors/ports/task_store.hpp"
#include "runtime/admin/cluster_directory.hpp"
#include "runtime/observability/tracing/trace_buffer.hpp"
#include "runtime/supervision/service_handle.hpp"

namespace taskflow::runtime {

struct node_agent_deps {
  std::string node_id;
  std::shared_ptr<const cluster_directory> directory;  // for the shard count
  std::shared_ptr<ports::task_store> tasks;
  std::shared_ptr<ports::identity_store> identities;
  std::shared_ptr<ports::event_history> history;
  // Runs the store reads of an inspection; outlives the agent.
  ports::blocking_executor* pool;
  shard_host_handle shard_host;
  // The node's recent traces; may be null (tracing off).
  std::shared_ptr<const trace_buffer> traces;
};

// Messages:
//   ListResidentActors -> ResidentActors
//   InspectActor       -> ActorSnapshot (exists = false: no such aggregate)
//   PassivateActor     -> PassivateActorReply
//   ListTraces         -> TraceSummaries (this node's spans only)
//   GetTrace           -> TraceSpans (this node's spans only)
// Failures (no shard host, store unavailable) come back as caf::error.
caf::behavior node_agent(caf::event_based_actor* self, node_agent_deps deps);

}  // namespace taskflow::runtime
