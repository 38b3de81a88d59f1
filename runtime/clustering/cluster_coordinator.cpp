#include "runtime/clustering/cluster_coordinator.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <caf/event_based_actor.hpp>

#include "cluster/placement/shard_placement.hpp"
#include "runtime/atoms.hpp"
#include "runtime/clustering/placement_epoch.hpp"

namespace taskflow::runtime {
namespace {

using steady = std::chrono::steady_clock;
constexpr std::chrono::milliseconds tick_interval{100};

std::string epoch_text(std::uint64_t epoch) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, epoch >>= 4)
    out[static_cast<std::size_t>(i)] = digits[epoch & 0xf];
  return out;
}

void emit(const cluster_coordinator_deps& deps, const std::string& kind, nlohmann::json detail) {
  if (deps.on_event)
    deps.on_event(kind, std::move(detail));
}

// Builds a new table when the placement or a member's address changed.
// Returns true when the placement (the owners) changed.
bool rebuild_table(cluster_coordinator_actor* self, const cluster_coordinator_deps& deps) {
  auto& st = self->state;
  const auto& snapshot = st.members->snapshot;
  std::vector<std::pair<std::string, std::uint64_t>> up;
  std::vector<std::string> up_ids;
  std::unordered_map<std::string, std::string> addresses;
  for (const auto& m : snapshot.members) {
    if (m.state == cluster::member_state::up && m.is_worker()) {
      up.emplace_back(m.id, m.incarnation);
      up_ids.push_back(m.id);
    }
    if (!m.cluster_address.empty())
      addresses[m.id] = m.cluster_address;
  }
  auto epoch = placement_epoch(up);
  bool placement_changed = !st.table || st.table->epoch != epoch || st.table->shard_count != snapshot.shard_count;
  if (!placement_changed && st.table->cluster_addresses == addresses)
    return false;
  auto table = std::make_shared<cluster::shard_table>();
  table->epoch = epoch;
  table->shard_count = snapshot.shard_count;
  table->owners = placement_changed ? cluster::place_shards(snapshot.shard_count, up_ids) : st.table->owners;
  table->cluster_addresses = addresses;
  if (placement_changed) {
    auto moved = st.table && st.table->owners.size() == table->owners.size()
                     ? cluster::moved_shards(st.table->owners, table->owners).size()
                     : table->owners.size();
    nlohmann::json detail{{"epoch", epoch_text(epoch)}, {"up_workers", up_ids}, {"shards_moved", moved}};
    deps.log->info("placement_changed", detail);
    emit(deps, "shard", detail);
    st.epoch_since = steady::now();
    deps.status->epoch = epoch;
  }
  auto peers = addresses;
  peers.erase(deps.self_id);  // reached through the local shard host
  deps.remote->update(peers);
  deps.router->set_table(table);
  st.table = std::move(table);
  deps.status->changed();
  return placement_changed;
}

// True when every other worker that may hold actors has finished handing
// off the current epoch. Joining workers never held any.
bool others_handed_off(const cluster_coordinator_state& st, const std::string& self_id) {
  for (const auto& m : st.members->snapshot.members)
    if (m.id != self_id && m.is_worker() && m.state != cluster::member_state::joining &&
        m.handoff_ack != st.table->epoch)
      return false;
  return true;
}

// Decides, shard by shard, what the local shard host may serve.
void admit(cluster_coordinator_actor* self, const cluster_coordinator_deps& deps) {
  auto& st = self->state;
  if (!deps.admission || !st.table)
    return;
  auto now = steady::now();
  bool trusted =
      !st.fenced && now >= st.trust_view_after && deps.membership->seen_revision() >= st.trust_view_from_revision;
  bool clear = others_handed_off(st, deps.self_id) || now - st.epoch_since >= deps.handoff_timeout;
  std::uint32_t serving = 0;
  for (std::uint32_t shard = 0; shard < deps.admission->shard_count(); ++shard) {
    auto access = shard_access::foreign;
    if (st.table->owner_of(shard) == deps.self_id) {
      bool kept_or_released = deps.admission->access(shard) == shard_access::serve || clear;
      access = trusted && kept_or_released ? shard_access::serve : shard_access::pending;
    }
    deps.admission->set(shard, access);
    serving += access == shard_access::serve ? 1 : 0;
  }
  deps.stats->shards_owned.Set(serving);
}

void acknowledge(cluster_coordinator_actor* self, const cluster_coordinator_deps& deps, std::uint64_t epoch) {
  auto& st = self->state;
  st.handing_off = 0;
  // A newer placement arrived meanwhile; its own handoff acknowledges.
  if (!st.table || epoch != st.table->epoch)
    return;
  deps.membership->set_handoff_ack(epoch);
  deps.status->acknowledged = epoch;
  bool holds_nothing = true;
  for (const auto& owner : st.table->owners)
    holds_nothing = holds_nothing && owner != deps.self_id;
  deps.status->holds_nothing = holds_nothing;
  deps.status->changed();
  deps.stats->handoffs.Increment();
  deps.log->info("handoff_done", {{"epoch", epoch_text(epoch)}});
}

// Asks the shard host to passivate every actor of a shard it may no longer
// serve; acknowledges once they have all stopped.
void hand_off(cluster_coordinator_actor* self, const cluster_coordinator_deps& deps) {
  auto epoch = self->state.table->epoch;
  auto host = deps.router->local_host().current();
  if (!deps.admission || !host) {
    acknowledge(self, deps, epoch);
    return;
  }
  self->state.handing_off = epoch;
  self->request(host, deps.handoff_timeout, handoff_atom::value, epoch)
      .then([self, deps](std::uint64_t done) { acknowledge(self, deps, done); },
            [self, deps, epoch](caf::error& err) {
              // Acknowledged anyway: the version fence still guards every
              // write, and the new owners would stop waiting at their own
              // handoff timeout.
              deps.log->warn("handoff_incomplete", {{"epoch", epoch_text(epoch)}, {"reason", caf::to_string(err)}});
              acknowledge(self, deps, epoch);
            });
}

// A node's own record lapses from its view when its heartbeats cannot reach
// the bucket, but the node knows it is alive: it keeps itself in the table
// (whether it may serve is the fence's business).
std::shared_ptr<const membership_update> with_self(std::shared_ptr<const membership_update> update,
                                                   const cluster::local_member& membership) {
  const auto& members = update->snapshot.members;
  auto me = membership.self();
  if (std::any_of(members.begin(), members.end(), [&](const auto& m) { return m.id == me.id; }))
    return update;
  auto patched = std::make_shared<membership_update>(*update);
  patched->snapshot.members.push_back(std::move(me));
  std::sort(patched->snapshot.members.begin(), patched->snapshot.members.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return patched;
}

bool alone(const cluster_coordinator_state& st, const std::string& self_id) {
  if (!st.members)
    return true;
  for (const auto& m : st.members->snapshot.members)
    if (m.id != self_id && m.is_worker())
      return false;
  return true;
}

void count_members(const cluster_coordinator_state& st, const cluster_coordinator_deps& deps) {
  std::map<std::string, int> by_state{{"joining", 0}, {"up", 0}, {"leaving", 0}};
  for (const auto& m : st.members->snapshot.members)
    ++by_state[std::string{cluster::to_string(m.state)}];
  for (const auto& [state, n] : by_state)
    deps.stats->cluster_members.Add({{"state", state}}).Set(n);
}

}  // namespace

caf::behavior cluster_coordinator(cluster_coordinator_actor* self, cluster_coordinator_deps deps) {
  self->delayed_send(self, tick_interval, tick_atom::value);
  return {
      [self, deps](std::shared_ptr<const membership_update> update) {
        auto& st = self->state;
        st.members = with_self(std::move(update), *deps.membership);
        for (const auto& change : st.members->changes) {
          deps.log->info("membership_changed", {{"change", change}});
          emit(deps, "membership", {{"change", change}});
        }
        count_members(st, deps);
        bool moved = rebuild_table(self, deps);
        admit(self, deps);
        if (moved)
          hand_off(self, deps);
      },
      [self, deps](tick_atom) {
        auto& st = self->state;
        if (deps.admission) {
          // Nobody can take a lone worker's shards without the bucket, so it
          // rides out a NATS outage (the outbox buffers the events). A worker
          // with peers cannot tell an outage from a partition, and its peers
          // take its shards once its record lapses: it fences. Whether it
          // had peers is judged when contact is lost, as the view decays
          // afterwards.
          bool contact = deps.membership->in_contact();
          if (!contact && st.in_contact)
            st.had_peers_at_loss = !alone(st, deps.self_id);
          st.in_contact = contact;
          bool cut_off = !contact && st.had_peers_at_loss;
          if (cut_off && !st.fenced) {
            st.fenced = true;
            deps.status->fenced = true;
            deps.admission->set_fenced(true);
            deps.log->warn("fenced", {{"reason", "lost contact with the membership bucket; serving no shard"}});
            emit(deps, "membership", {{"change", deps.self_id + " fenced itself"}});
            admit(self, deps);
            if (st.table)
              hand_off(self, deps);
          } else if (!cut_off && st.fenced) {
            st.fenced = false;
            st.trust_view_after = steady::now() + deps.ttl;
            st.trust_view_from_revision = deps.membership->stored_revision();
            deps.status->fenced = false;
            deps.admission->set_fenced(false);
            deps.log->info("unfenced", {{"serving_after_ms", deps.ttl.count()}});
          }
        }
        admit(self, deps);
        self->delayed_send(self, tick_interval, tick_atom::value);
      },
  };
}

}  // namespace taskflow::runtime
