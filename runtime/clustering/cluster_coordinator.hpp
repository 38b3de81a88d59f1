// Turns what the membership bucket says into what this node does: builds the
// shard table from the up workers (rendezvous placement), hands it to the
// router, decides which shards the local shard host may serve, drives the
// handoff of shards that moved away and acknowledges it in this node's
// record, and fences the node when it loses contact with the bucket.
//
// Handoff, as the new owner sees it: a shard it gains is `pending` until
// every other live worker has acknowledged the new placement epoch (each
// acknowledges once its shard host passivated the actors of every shard it
// lost), or until the handoff timeout; only then does it activate actors for
// that shard. The version fence on every write covers whatever slips past.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>
#include <nlohmann/json.hpp>

#include "cluster/membership/local_member.hpp"
#include "cluster/membership/membership_snapshot.hpp"
#include "cluster/peers/peer_connections.hpp"
#include "runtime/clustering/coordination_status.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/sharding/shard_admission.hpp"
#include "runtime/sharding/shard_router.hpp"

namespace taskflow::runtime {

struct cluster_coordinator_deps {
  std::string self_id;
  std::shared_ptr<shard_admission> admission;  // null on an edge-only node
  std::shared_ptr<shard_router> router;
  std::shared_ptr<cluster::peer_connections> remote;
  std::shared_ptr<cluster::local_member> membership;
  std::shared_ptr<coordination_status> status;
  std::chrono::milliseconds ttl{1500};
  std::chrono::milliseconds handoff_timeout{5000};
  const logger* log = nullptr;
  metrics* stats = nullptr;
  // Membership and placement changes, for the admin event stream (optional).
  std::function<void(const std::string& kind, nlohmann::json detail)> on_event;
};

// One membership change as the watcher saw it: the whole live set, plus a
// line per member that joined, changed state, left or lapsed.
struct membership_update {
  cluster::membership_snapshot snapshot;
  std::vector<std::string> changes;
};

struct cluster_coordinator_state {
  std::shared_ptr<const membership_update> members;
  std::shared_ptr<const cluster::shard_table> table;
  std::chrono::steady_clock::time_point epoch_since{};
  // After losing contact the local view of the members is stale; shards
  // stay unserved until a full ttl of fresh heartbeats has been watched and
  // the watcher has delivered the put that restored contact.
  std::chrono::steady_clock::time_point trust_view_after{};
  std::uint64_t trust_view_from_revision = 0;
  bool fenced = false;
  bool in_contact = true;
  bool had_peers_at_loss = false;
  std::uint64_t handing_off = 0;  // epoch of the handoff in progress, 0 when none

  static inline const char* name = "cluster_coordinator";
};

using cluster_coordinator_actor = caf::stateful_actor<cluster_coordinator_state>;

// Messages: std::shared_ptr<const membership_update> (from the membership
// watcher), tick_atom (its own timer).
caf::behavior cluster_coordinator(cluster_coordinator_actor* self, cluster_coordinator_deps deps);

}  // namespace taskflow::runtime

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<const taskflow::runtime::membership_update>)
