// The admin API's JSON: what the gateway's answers look like on the wire
// (timestamps RFC 3339, unknown values null), and the Server-Sent Events
// frame of one runtime event (a domain event as event_changes.hpp reads it).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "messages/admin/admin.pb.h"
#include "runtime/admin/admin_gateway.hpp"
#include "runtime/admin/runtime_events.hpp"
#include "runtime/observability/load_history.hpp"

namespace taskflow::edge {

nlohmann::json cluster_to_json(const runtime::cluster_status& status);
nlohmann::json shards_to_json(const runtime::shard_table& table);
nlohmann::json resident_actor_to_json(const messages::ResidentActor& actor);
// The state and events, made as JSON by the owning node, are shown in the
// API's terms (api_terms.hpp), each event as its summary and changes.
nlohmann::json actor_snapshot_to_json(const messages::ActorSnapshot& snapshot);

// {period_s, samples: [{at, requests_per_s, p99_ms, activations_per_s}]},
// oldest first; p99_ms null where no request was made.
nlohmann::json load_history_to_json(const std::vector<runtime::load_sample>& samples);

// "id: <seq>\nevent: <kind>\ndata: {seq, kind, node, at, data}\n\n"
std::string sse_frame(const runtime::runtime_event& event);
// Tells a client that `count` events were dropped because it read too slowly.
std::string sse_dropped_frame(std::uint64_t count);

}  // namespace taskflow::edge
