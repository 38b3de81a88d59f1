// The per-node shard host: virtual activation of aggregate actors. The first
// message for a key activates its actor (which loads itself from the store);
// actors idle longer than the idle timeout are passivated; when more than
// max_resident are resident the least recently used one is passivated first.
// A crashed actor is forgotten, and its next message activates it afresh.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "runtime/sharding/shard_admission.hpp"

namespace taskflow::runtime {

struct shard_host_config {
  std::chrono::milliseconds idle_timeout{std::chrono::minutes{5}};
  std::size_t max_resident = 100'000;
  // How often idle actors are looked for; idle_timeout / 4 when zero.
  std::chrono::milliseconds sweep_interval{0};
  // Which shards this node may serve; a message for any other shard is
  // answered ERROR_CODE_MOVED without activating anything.
  std::shared_ptr<const shard_admission> admission;
};

// Spawns the actor for one key. The shard host monitors what it returns; an
// invalid handle refuses the key (runtime/sharding/activation_table.hpp).
using activation_factory = std::function<caf::actor(caf::local_actor* host, const std::string& key)>;

struct shard_host_hooks {
  std::function<void(const std::string& key)> on_activation;
  std::function<void(const std::string& key)> on_passivation;
  std::function<void(const std::string& key, const caf::error& reason)> on_crash;
  std::function<void(std::size_t resident)> on_resident_changed;
};

struct resident_actor {
  std::string key;
  std::int64_t activated_at_ms = 0;
  std::int64_t last_message_at_ms = 0;
};

struct shard_host_state {
  // One per resident actor, so kept small: the key lives once, as the map's
  // key, and the LRU order is a list threaded through the entries (map
  // nodes never move).
  struct entry {
    caf::actor handle;
    const std::string* key = nullptr;
    std::int64_t activated_at_ms = 0;
    std::int64_t last_message_at_ms = 0;
    // For idle sweeps, which must not follow the wall clock's jumps.
    std::chrono::steady_clock::time_point last_message;
    entry* newer = nullptr;
    entry* older = nullptr;
  };
  std::unordered_map<std::string, entry> resident;
  entry* newest = nullptr;
  entry* oldest = nullptr;
  std::unordered_map<caf::actor_addr, entry*> by_address;
  // Passivated actors that have not stopped yet, by address: their down
  // message still names the key to the crash hook.
  std::unordered_map<caf::actor_addr, std::string> stopping;
  // A handoff is answered once every actor it passivated has stopped.
  std::unordered_set<caf::actor_addr> handing_off;
  std::vector<std::pair<caf::typed_response_promise<std::uint64_t>, std::uint64_t>> handoffs;

  static inline const char* name = "shard_host";
};

using shard_host_actor = caf::stateful_actor<shard_host_state>;

// Messages a shard host understands:
//   TaskCommand                      -> delegated to the task's actor (key "task/<id>")
//   UserCommand, SessionCommand      -> likewise, keys "user/<id>" and "session/<id>"
//   (passivate_atom, std::string)    -> bool: whether the key was resident
//   (resident_atom)                  -> std::vector<resident_actor> snapshot
//   (handoff_atom, std::uint64_t epoch) -> epoch, once every resident actor
//                                       of a shard no longer served here
//                                       has finished its mailbox and stopped
//   (inspect_atom, std::string key)  -> messages::ResidentState: resident or not, and
//                                       if so the actor's own AggregateState; does not
//                                       count as a use of the actor
caf::behavior shard_host(shard_host_actor* self, shard_host_config config, activation_factory factory,
                         shard_host_hooks hooks);

}  // namespace taskflow::runtime

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<taskflow::runtime::resident_actor>)
