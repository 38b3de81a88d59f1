// The edge's only way into the admin side of the runtime: the cluster map,
// the shard table, resident actors across every node, one actor's state, and
// passivation. It asks the nodes' admin agents (local or remote) concurrently
// within the request's deadline; a node that does not answer is reported,
// never fatal. Callbacks run on an actor thread, never on the caller's.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "messages/admin/admin.pb.h"
#include "runtime/admin/actor_listing.hpp"
#include "runtime/admin/cluster_directory.hpp"
#include "runtime/admin/trace_assembly.hpp"
#include "runtime/edge_api/outcome.hpp"
#include "runtime/observability/tracing/trace_buffer.hpp"

namespace taskflow::runtime {

struct node_status {
  admin_node_view node;
  std::optional<std::uint64_t> resident_actors;  // nullopt: its agent did not answer
};

struct cluster_status {
  std::string cluster;
  std::string node_id;  // the answering node
  std::uint32_t shard_count = 0;
  std::vector<node_status> nodes;
};

struct shard_table {
  std::uint32_t shard_count = 0;
  std::vector<std::string> owners;  // node id by shard number
};

struct actor_query {
  std::string type;       // empty: every type
  std::string node;       // empty: every node
  std::string id_prefix;  // empty: every id
  std::optional<actor_position> after;
  std::size_t limit = 50;
};

struct actor_page {
  std::vector<messages::ResidentActor> items;
  std::optional<actor_position> next;  // where the next page starts after
  std::vector<std::string> unanswered_nodes;
};

struct trace_list {
  std::vector<trace_overview> items;
  std::vector<std::string> unanswered_nodes;
};

struct gathered_trace {
  std::vector<messages::Span> spans;  // every answering node's, in order of start
  std::vector<std::string> unanswered_nodes;
};

class admin_gateway {
public:
  // How many of an aggregate's latest events inspect() shows; it reads one
  // more, the "before" of the oldest.
  static constexpr std::uint32_t recent_event_count = 20;

  // `traces`, this node's, may be null (then only the workers' are seen).
  admin_gateway(caf::actor_system& system, std::shared_ptr<const cluster_directory> directory,
                std::shared_ptr<const trace_buffer> traces);

  void cluster(std::chrono::milliseconds deadline, std::function<void(cluster_status)> done);
  shard_table shards() const;

  void list_actors(actor_query query, std::chrono::milliseconds deadline, outcome_handler<actor_page> done);

  // NOT_FOUND when the actor is not resident and its aggregate is not in the
  // store either.
  void inspect(std::string type, std::string id, std::chrono::milliseconds deadline,
               outcome_handler<messages::ActorSnapshot> done);

  // Whether the actor was resident (and is now being passivated).
  void passivate(std::string type, std::string id, std::chrono::milliseconds deadline, outcome_handler<bool> done);

  // Traces from this node's buffer and every worker's: each node holds
  // only its own spans (an edge-only node's are seen from its own edge).
  // Filtered once merged, so a route held by the edge's span still finds
  // the workers' part of the trace.
  void list_traces(messages::ListTraces query, std::chrono::milliseconds deadline,
                   std::function<void(trace_list)> done);
  void trace(std::string trace_id, std::chrono::milliseconds deadline, std::function<void(gathered_trace)> done);

  const cluster_directory& directory() const { return *directory_; }

private:
  // Every worker's agent but this node's: its spans are in traces_.
  std::vector<admin_target> other_agents() const;

  caf::actor_system& system_;
  std::shared_ptr<const cluster_directory> directory_;
  std::shared_ptr<const trace_buffer> traces_;
};

}  // namespace taskflow::runtime
