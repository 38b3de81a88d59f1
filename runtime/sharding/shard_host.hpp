// The per-node shard host: virtual activation of aggregate actors. The first
// message for a key activates its actor (which loads itself from the store);
// actors idle longer than the idle timeout are passivated; when more than
// max_resident are resident the least recently used one is passivated first.
// A crashed actor is forgotten, and its next message activates it afresh.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

namespace taskflow::runtime {

struct shard_host_config {
  std::chrono::milliseconds idle_timeout{std::chrono::minutes{5}};
  std::size_t max_resident = 100'000;
  // How often idle actors are looked for; idle_timeout / 4 when zero.
  std::chrono::milliseconds sweep_interval{0};
};

// Spawns the actor for one key. The shard host monitors what it returns.
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
  struct entry {
    caf::actor handle;
    resident_actor info;
    std::chrono::steady_clock::time_point last_message;
    std::list<std::string>::iterator lru_position;
  };
  std::unordered_map<std::string, entry> resident;
  std::list<std::string> lru;  // front: most recently used
  std::unordered_map<caf::actor_addr, std::string> key_by_address;

  static inline const char* name = "shard_host";
};

using shard_host_actor = caf::stateful_actor<shard_host_state>;

// Messages a shard host understands:
//   TaskCommand                      -> delegated to the task's actor (key "task/<id>")
//   UserCommand, SessionCommand      -> likewise, keys "user/<id>" and "session/<id>"
//   (passivate_atom, std::string)    -> bool: whether the key was resident
//   (resident_atom)                  -> std::vector<resident_actor> snapshot
//   (inspect_atom, std::string key)  -> messages::ResidentState: resident or not, and
//                                       if so the actor's own AggregateState; does not
//                                       count as a use of the actor
caf::behavior shard_host(shard_host_actor* self, shard_host_config config, activation_factory factory,
                         shard_host_hooks hooks);

}  // namespace taskflow::runtime

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<taskflow::runtime::resident_actor>)
