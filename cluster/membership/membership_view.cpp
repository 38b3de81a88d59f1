#include "cluster/membership/membership_view.hpp"

#include <algorithm>
#include <sstream>

namespace taskflow::cluster {
namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty())
      out += ',';
    out += p;
  }
  return out.empty() ? "none" : out;
}

std::string summary(const member_record& r) {
  std::ostringstream out;
  out << "roles " << join(r.roles) << ", state " << to_string(r.state) << ", http " << r.http_address;
  if (!r.cluster_address.empty())
    out << ", cluster " << r.cluster_address;
  out << ", incarnation " << r.incarnation << ", handoff ack " << r.handoff_ack;
  return out.str();
}

}  // namespace

std::string describe(const membership_change& change) {
  const auto& r = change.record;
  auto seconds = std::chrono::duration<double>(change.member_for).count();
  std::ostringstream out;
  out << "member " << r.id << " ";
  switch (change.kind) {
    case change_kind::joined:
      out << "joined: " << summary(r);
      break;
    case change_kind::restarted:
      out << "restarted: " << summary(r);
      break;
    case change_kind::state_changed:
      out << "is " << to_string(r.state) << " (was " << to_string(change.previous_state.value_or(r.state))
          << "): " << summary(r);
      break;
    case change_kind::updated:
      out << "updated: " << summary(r);
      break;
    case change_kind::left:
      out << "left after " << seconds << " s";
      break;
    case change_kind::lapsed:
      out << "lapsed (no heartbeat) after " << seconds << " s as a member";
      break;
  }
  return out.str();
}

std::optional<membership_change> membership_view::apply_put(member_record record, membership_clock::time_point now) {
  auto it = members_.find(record.id);
  if (it == members_.end()) {
    auto id = record.id;
    members_.emplace(id, entry{record, now, now});
    return membership_change{change_kind::joined, std::move(record), std::nullopt, {}};
  }
  auto& e = it->second;
  if (record.incarnation < e.record.incarnation)
    return std::nullopt;
  e.last_heard = std::max(e.last_heard, now);
  if (record == e.record)
    return std::nullopt;
  auto previous = e.record.state;
  auto kind = record.incarnation > e.record.incarnation ? change_kind::restarted
              : record.state != previous                ? change_kind::state_changed
                                                        : change_kind::updated;
  if (kind == change_kind::restarted)
    e.joined_at = now;
  e.record = record;
  return membership_change{kind, std::move(record), previous, {}};
}

std::optional<membership_change> membership_view::apply_delete(const std::string& id,
                                                               membership_clock::time_point now) {
  auto it = members_.find(id);
  if (it == members_.end())
    return std::nullopt;
  membership_change change{change_kind::left, std::move(it->second.record), std::nullopt, now - it->second.joined_at};
  members_.erase(it);
  return change;
}

std::vector<membership_change> membership_view::lapse(membership_clock::time_point now,
                                                      membership_clock::duration ttl) {
  std::vector<membership_change> out;
  for (auto it = members_.begin(); it != members_.end();) {
    if (now - it->second.last_heard >= ttl) {
      out.push_back({change_kind::lapsed, std::move(it->second.record), std::nullopt, now - it->second.joined_at});
      it = members_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<std::string> membership_view::expire(membership_clock::time_point now, membership_clock::duration ttl) {
  std::vector<std::string> ids;
  for (auto& change : lapse(now, ttl))
    ids.push_back(std::move(change.record.id));
  return ids;
}

std::vector<member_record> membership_view::members() const {
  std::vector<member_record> out;
  out.reserve(members_.size());
  for (const auto& [id, e] : members_)
    out.push_back(e.record);
  return out;
}

std::vector<std::string> membership_view::up_workers() const {
  std::vector<std::string> out;
  for (const auto& [id, e] : members_)
    if (e.record.state == member_state::up && e.record.is_worker())
      out.push_back(id);
  return out;
}

std::optional<member_record> membership_view::find(const std::string& id) const {
  auto it = members_.find(id);
  if (it == members_.end())
    return std::nullopt;
  return it->second.record;
}

}  // namespace taskflow::cluster
