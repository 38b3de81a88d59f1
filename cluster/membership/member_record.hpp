// One node's entry in the membership bucket: who it is, what it does, where
// to reach it, and how far it has got. The JSON form is what the bucket
// holds; it is read strictly (every field present, with its type) but
// ignores fields it does not know, so a newer node can add one during a
// rolling upgrade without the older nodes dropping its record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

namespace taskflow::cluster {

enum class member_state { joining, up, leaving };

std::string_view to_string(member_state state);
std::optional<member_state> member_state_from(std::string_view text);

struct member_record {
  std::string id;
  std::vector<std::string> roles;  // "edge", "worker"
  member_state state = member_state::joining;
  std::string http_address;     // host:port
  std::string cluster_address;  // host:port of CAF's middleman; "" for an edge-only node
  std::int64_t started_at_ms = 0;
  // Grows across restarts of the same id, so a restarted node's record
  // replaces the old one and a late heartbeat of the old one is ignored.
  std::uint64_t incarnation = 0;
  // The placement epoch whose handoff this node has finished.
  std::uint64_t handoff_ack = 0;

  bool has_role(std::string_view role) const;
  bool is_worker() const;

  friend bool operator==(const member_record& a, const member_record& b);
  friend bool operator!=(const member_record& a, const member_record& b) { return !(a == b); }
};

std::string to_json(const member_record& record);
caf::expected<member_record> member_from_json(std::string_view json);

}  // namespace taskflow::cluster
