#include "http-edge/admin/admin_views.hpp"

#include "http-edge/admin/api_terms.hpp"
#include "http-edge/admin/event_changes.hpp"
#include "messages/time/rfc3339.hpp"
#include "runtime/observability/load_sampler.hpp"

namespace taskflow::edge {
namespace {

nlohmann::json time_or_null(std::int64_t unix_ms) {
  return unix_ms > 0 ? nlohmann::json(clock::format_rfc3339(unix_ms)) : nlohmann::json(nullptr);
}

nlohmann::json mailbox_or_null(std::int64_t size) {
  return size >= 0 ? nlohmann::json(size) : nlohmann::json(nullptr);
}

// Made by our own node agents; a parse failure would be a bug there, and
// shows as the raw text rather than failing the whole answer.
nlohmann::json embedded(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(text) : parsed;
}

}  // namespace

nlohmann::json cluster_to_json(const runtime::cluster_status& status) {
  auto nodes = nlohmann::json::array();
  for (const auto& n : status.nodes) {
    nodes.push_back({
        {"id", n.node.id},
        {"roles", n.node.roles},
        {"state", n.node.state},
        {"http_address", n.node.http_address},
        {"cluster_address",
         n.node.cluster_address.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.node.cluster_address)},
        {"started_at", time_or_null(n.node.started_at_ms)},
        {"shards_owned", n.node.shards_owned},
        {"resident_actors", n.resident_actors ? nlohmann::json(*n.resident_actors) : nlohmann::json(nullptr)},
    });
  }
  return {{"cluster", status.cluster},
          {"node_id", status.node_id},
          {"shard_count", status.shard_count},
          {"nodes", std::move(nodes)}};
}

nlohmann::json shards_to_json(const runtime::shard_table& table) {
  return {{"shard_count", table.shard_count}, {"owners", table.owners}};
}

nlohmann::json resident_actor_to_json(const messages::ResidentActor& actor) {
  return {{"type", actor.type()},
          {"id", actor.id()},
          {"node", actor.node_id()},
          {"shard", actor.shard()},
          {"activated_at", time_or_null(actor.activated_at_ms())},
          {"last_message_at", time_or_null(actor.last_message_at_ms())},
          {"mailbox_size", mailbox_or_null(actor.mailbox_size())},
          {"label", actor.label().empty() ? nlohmann::json(nullptr) : nlohmann::json(actor.label())}};
}

nlohmann::json actor_snapshot_to_json(const messages::ActorSnapshot& snapshot) {
  std::vector<nlohmann::json> events;
  for (const auto& e : snapshot.recent_events_json())
    events.push_back(embedded(e));
  auto state = snapshot.state_json().empty() ? nlohmann::json(nullptr) : in_api_terms(embedded(snapshot.state_json()));
  return {{"type", snapshot.type()},
          {"id", snapshot.id()},
          {"node", snapshot.node_id()},
          {"shard", snapshot.shard()},
          {"resident", snapshot.resident()},
          {"version", snapshot.version()},
          {"state", std::move(state)},
          {"activated_at", time_or_null(snapshot.activated_at_ms())},
          {"last_message_at", time_or_null(snapshot.last_message_at_ms())},
          {"mailbox_size", mailbox_or_null(snapshot.mailbox_size())},
          {"recent_events", readable_events(events, runtime::admin_gateway::recent_event_count)}};
}

nlohmann::json load_history_to_json(const std::vector<runtime::load_sample>& samples) {
  auto out = nlohmann::json::array();
  for (const auto& s : samples)
    out.push_back({{"at", time_or_null(s.at_ms)},
                   {"requests_per_s", s.requests_per_s},
                   {"p99_ms", s.p99_ms ? nlohmann::json(*s.p99_ms) : nlohmann::json(nullptr)},
                   {"activations_per_s", s.activations_per_s}});
  return {{"period_s", runtime::load_sampler::default_period.count()}, {"samples", std::move(out)}};
}

std::string sse_frame(const runtime::runtime_event& event) {
  nlohmann::json data{
      {"seq", event.seq},
      {"kind", event.kind},
      {"node", event.node},
      {"at", time_or_null(event.at_ms)},
      {"data", event.kind == "domain_event" ? readable_event(embedded(event.data_json)) : embedded(event.data_json)}};
  // dump() escapes line breaks inside strings, so the data is one line.
  return "id: " + std::to_string(event.seq) + "\nevent: " + event.kind + "\ndata: " + data.dump() + "\n\n";
}

std::string sse_dropped_frame(std::uint64_t count) {
  return "event: dropped\ndata: " + nlohmann::json{{"dropped", count}}.dump() + "\n\n";
}

}  // namespace taskflow::edge
