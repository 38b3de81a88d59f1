#include "runtime/sharding/shard_host.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>

#include "messages/caf_types.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/atoms.hpp"
#include "runtime/sharding/aggregate_key.hpp"
#include "runtime/sharding/error_reply.hpp"
#include "runtime/sharding/shard_key.hpp"
#include "runtime/supervision/orderly_exit.hpp"

namespace taskflow::runtime {
namespace {

// An actor busy longer than this with earlier messages is reported as not
// answering rather than keeping the inspection open.
constexpr auto inspect_timeout = std::chrono::seconds{10};

using entry = shard_host_state::entry;
using steady = std::chrono::steady_clock;

void notify_resident(shard_host_actor* self, const shard_host_hooks& hooks) {
  if (hooks.on_resident_changed)
    hooks.on_resident_changed(self->state.resident.size());
}

void unlink(shard_host_state& st, entry& e) {
  (e.newer ? e.newer->older : st.newest) = e.older;
  (e.older ? e.older->newer : st.oldest) = e.newer;
  e.newer = e.older = nullptr;
}

void link_newest(shard_host_state& st, entry& e) {
  e.older = st.newest;
  (st.newest ? st.newest->newer : st.oldest) = &e;
  st.newest = &e;
}

// Passivation is an orderly exit: messages already in the actor's mailbox
// are handled first, and its state is durable after every command. The host
// forgets the key at once, so a message arriving meanwhile activates a fresh
// actor; the version fence keeps the two from losing an update.
void passivate(shard_host_actor* self, std::unordered_map<std::string, entry>::iterator it,
               const shard_host_hooks& hooks) {
  auto& st = self->state;
  auto& e = it->second;
  self->send_exit(e.handle, caf::exit_reason::user_shutdown);
  auto address = e.handle.address();
  st.by_address.erase(address);
  const auto& key = st.stopping.insert_or_assign(address, it->first).first->second;
  unlink(st, e);
  st.resident.erase(it);
  if (hooks.on_passivation)
    hooks.on_passivation(key);
  notify_resident(self, hooks);
}

void passivate_oldest(shard_host_actor* self, const shard_host_hooks& hooks) {
  auto& st = self->state;
  passivate(self, st.resident.find(*st.oldest->key), hooks);
}

bool serves(const shard_host_config& config, const std::string& key) {
  if (!config.admission)
    return true;
  return config.admission->access(shard_of(key, config.admission->shard_count())) == shard_access::serve;
}

// Answers every waiting handoff once the last actor it passivated is down.
void settle_handoffs(shard_host_actor* self) {
  auto& st = self->state;
  if (!st.handing_off.empty())
    return;
  for (auto& [promise, epoch] : st.handoffs)
    promise.deliver(epoch);
  st.handoffs.clear();
}

// Null when the factory refuses the key.
caf::actor* activate_or_touch(shard_host_actor* self, const std::string& key, const shard_host_config& config,
                              const activation_factory& factory, const shard_host_hooks& hooks) {
  auto& st = self->state;
  auto now = steady::now();
  auto it = st.resident.find(key);
  if (it != st.resident.end()) {
    auto& e = it->second;
    unlink(st, e);
    link_newest(st, e);
    e.last_message = now;
    e.last_message_at_ms = clock::unix_now_ms();
    return &e.handle;
  }
  auto handle = factory(self, key);
  if (!handle)
    return nullptr;
  while (st.resident.size() >= config.max_resident && st.oldest)
    passivate_oldest(self, hooks);
  self->monitor(handle);
  auto& [stored_key, e] = *st.resident.try_emplace(key).first;
  e.handle = handle;
  e.key = &stored_key;
  e.activated_at_ms = clock::unix_now_ms();
  e.last_message_at_ms = e.activated_at_ms;
  e.last_message = now;
  link_newest(st, e);
  st.by_address.emplace(handle.address(), &e);
  if (hooks.on_activation)
    hooks.on_activation(key);
  notify_resident(self, hooks);
  return &e.handle;
}

// Hands a command to its actor, activating it, when this node serves the
// key's shard; the actor answers the sender directly.
template <class Reply, class Command>
caf::result<Reply> deliver(shard_host_actor* self, const std::string& key, const Command& cmd,
                           const shard_host_config& config, const activation_factory& factory,
                           const shard_host_hooks& hooks) {
  if (!serves(config, key))
    return error_reply<Reply>(messages::ERROR_CODE_MOVED, "This node does not serve the key's shard right now.");
  auto* target = activate_or_touch(self, key, config, factory, hooks);
  if (!target)
    return error_reply<Reply>(messages::ERROR_CODE_INTERNAL,
                              "This node hosts no aggregate of the kind of " + key + ".");
  self->delegate(*target, cmd);
  return caf::delegated<Reply>{};
}

}  // namespace

caf::behavior shard_host(shard_host_actor* self, shard_host_config config, activation_factory factory,
                         shard_host_hooks hooks) {
  auto sweep = config.sweep_interval.count() > 0 ? config.sweep_interval
                                                 : std::max(std::chrono::milliseconds{10}, config.idle_timeout / 4);
  // Resident actors may keep themselves alive (a session's expiry timer holds
  // a reference to it), so a stopping host stops them explicitly rather than
  // leaving them for the actor system's shutdown to wait on.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [key, e] : self->state.resident)
      self->send_exit(e.handle, msg.reason);
    self->quit(msg.reason);
  });
  self->set_down_handler([self, hooks](caf::down_msg& down) {
    auto& st = self->state;
    std::string key;
    if (auto resident = st.by_address.find(down.source); resident != st.by_address.end()) {
      // A resident actor that stopped by itself: it crashed, or quit.
      auto& e = *resident->second;
      key = *e.key;
      st.by_address.erase(resident);
      unlink(st, e);
      st.resident.erase(key);
      notify_resident(self, hooks);
    } else if (auto passivated = st.stopping.find(down.source); passivated != st.stopping.end()) {
      key = std::move(passivated->second);
      st.stopping.erase(passivated);
    } else {
      return;
    }
    if (st.handing_off.erase(down.source) > 0)
      settle_handoffs(self);
    if (!is_orderly_exit(down.reason) && hooks.on_crash)
      hooks.on_crash(key, down.reason);
  });
  self->delayed_send(self, sweep, tick_atom::value);
  return {
      [self, config, factory, hooks](const messages::TaskCommand& cmd) {
        return deliver<messages::TaskReply>(self, key_of(cmd), cmd, config, factory, hooks);
      },
      [self, config, factory, hooks](const messages::UserCommand& cmd) {
        return deliver<messages::UserReply>(self, key_of(cmd), cmd, config, factory, hooks);
      },
      [self, config, factory, hooks](const messages::SessionCommand& cmd) {
        return deliver<messages::SessionReply>(self, key_of(cmd), cmd, config, factory, hooks);
      },
      [self, config, hooks](handoff_atom, std::uint64_t epoch) {
        auto& st = self->state;
        std::vector<std::pair<std::string, caf::actor_addr>> leaving;
        for (const auto& [key, e] : st.resident)
          if (!serves(config, key))
            leaving.emplace_back(key, e.handle.address());
        for (const auto& [key, address] : leaving) {
          st.handing_off.insert(address);
          passivate(self, st.resident.find(key), hooks);
        }
        auto promise = self->make_response_promise<std::uint64_t>();
        st.handoffs.emplace_back(promise, epoch);
        settle_handoffs(self);
        return promise;
      },
      [self, hooks](passivate_atom, const std::string& key) {
        auto it = self->state.resident.find(key);
        if (it == self->state.resident.end())
          return false;
        passivate(self, it, hooks);
        return true;
      },
      [self](resident_atom) {
        std::vector<resident_actor> out;
        out.reserve(self->state.resident.size());
        for (const auto& [key, e] : self->state.resident)
          out.push_back({key, e.activated_at_ms, e.last_message_at_ms});
        return out;
      },
      [self](inspect_atom, const std::string& key) -> caf::result<messages::ResidentState> {
        auto it = self->state.resident.find(key);
        if (it == self->state.resident.end())
          return messages::ResidentState{};
        messages::ResidentState known;
        known.set_resident(true);
        known.set_activated_at_ms(it->second.activated_at_ms);
        known.set_last_message_at_ms(it->second.last_message_at_ms);
        auto promise = self->make_response_promise<messages::ResidentState>();
        self->request(it->second.handle, inspect_timeout, messages::InspectAggregate{})
            .then(
                [promise, known](messages::AggregateState& state) mutable {
                  *known.mutable_aggregate() = std::move(state);
                  promise.deliver(std::move(known));
                },
                [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      [self, config, sweep, hooks](tick_atom) {
        // One sweep for every actor instead of a timer each: the LRU order
        // is the order of last use, so the idle ones are the oldest.
        auto cutoff = steady::now() - config.idle_timeout;
        while (self->state.oldest && self->state.oldest->last_message <= cutoff)
          passivate_oldest(self, hooks);
        self->delayed_send(self, sweep, tick_atom::value);
      },
  };
}

}  // namespace taskflow::runtime
