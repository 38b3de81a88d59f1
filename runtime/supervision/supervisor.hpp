// A one-for-one supervisor: each child that terminates abnormally is restarted
// alone, after an exponential backoff with jitter. When children crash more
// than `max_restarts` times within `window`, restarting is not helping and the
// supervisor itself fails, escalating to whoever watches it (the node, which
// then shuts down instead of limping on).
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

namespace taskflow::runtime {

struct child_spec {
  std::string name;
  // Where the running child is published in CAF's registry, so others find
  // the current incarnation after a restart.
  caf::atom_value registry_name;
  std::function<caf::actor(caf::actor_system&)> start;
};

struct restart_policy {
  std::chrono::milliseconds initial_backoff{50};
  std::chrono::milliseconds max_backoff{5000};
  int max_restarts = 10;
  std::chrono::milliseconds window{std::chrono::seconds{30}};
};

// Backoff before the n-th consecutive restart (n >= 1): initial * 2^(n-1),
// capped at max, then scaled by a jitter factor in [0.5, 1.0].
std::chrono::milliseconds restart_backoff(const restart_policy& policy, int consecutive, double jitter);

struct supervisor_state {
  struct child {
    child_spec spec;
    caf::actor handle;
    int consecutive_restarts = 0;
    std::chrono::steady_clock::time_point started_at;
  };
  std::vector<child> children;
  std::deque<std::chrono::steady_clock::time_point> recent_restarts;
  std::minstd_rand jitter{std::random_device{}()};
  static inline const char* name = "supervisor";
};

// Observes restarts (child name) for metrics and logs; may be empty.
using restart_observer = std::function<void(const std::string& child, const caf::error& reason)>;

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, std::vector<child_spec> specs,
                         restart_policy policy, restart_observer on_restart);

}  // namespace taskflow::runtime
