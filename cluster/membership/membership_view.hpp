// The live members as this node judges them, from the updates it watched.
// nats-server 2.9 has only a bucket-wide max age and tells watchers nothing
// when a record ages out, so a lapse is judged here: a member not heard from
// for a ttl of this node's steady clock is gone, whatever the bucket still
// holds. Pure (no NATS), so the rules are unit-tested with made-up times.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster/membership/member_record.hpp"

namespace taskflow::cluster {

using membership_clock = std::chrono::steady_clock;

enum class change_kind { joined, restarted, state_changed, updated, left, lapsed };

// What one update did to the table, for a log line and for metrics.
struct membership_change {
  change_kind kind;
  member_record record;  // after the change; the last one known for left and lapsed
  std::optional<member_state> previous_state;
  membership_clock::duration member_for{};  // how long it had been in the table (left, lapsed)
};

// "member worker-2 joined: roles worker, state up, http 10.0.0.2:8080, cluster 10.0.0.2:4000"
std::string describe(const membership_change& change);

class membership_view {
public:
  // A put of a member's record, last heard at `now`. Returns what changed,
  // nothing for a heartbeat that only renews the record (or one from an older
  // incarnation, which a restarted node has replaced).
  std::optional<membership_change> apply_put(member_record record, membership_clock::time_point now);

  // A delete: the member left on purpose.
  std::optional<membership_change> apply_delete(const std::string& id, membership_clock::time_point now);

  // Removes every member not heard from for `ttl` before `now`.
  std::vector<membership_change> lapse(membership_clock::time_point now, membership_clock::duration ttl);
  std::vector<std::string> expire(membership_clock::time_point now, membership_clock::duration ttl);

  std::vector<member_record> members() const;   // sorted by id
  std::vector<std::string> up_workers() const;  // state up and role worker, sorted
  std::optional<member_record> find(const std::string& id) const;

private:
  struct entry {
    member_record record;
    membership_clock::time_point last_heard;
    membership_clock::time_point joined_at;
  };
  std::map<std::string, entry> members_;
};

}  // namespace taskflow::cluster
