#include "runtime/supervision/supervisor.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>

#include "runtime/atoms.hpp"
#include "runtime/supervision/orderly_exit.hpp"

namespace taskflow::runtime {
namespace {

using state_type = caf::stateful_actor<supervisor_state>;

void start_child(state_type* self, supervisor_state::child& c) {
  c.handle = c.spec.start(self->system());
  c.started_at = std::chrono::steady_clock::now();
  self->monitor(c.handle);
  self->system().registry().put(c.spec.registry_name, c.handle);
}

void stop_children(state_type* self) {
  for (auto& c : self->state.children) {
    self->system().registry().erase(c.spec.registry_name);
    if (c.handle) {
      self->demonitor(c.handle);
      self->send_exit(c.handle, caf::exit_reason::user_shutdown);
      c.handle = nullptr;
    }
  }
}

}  // namespace

std::chrono::milliseconds restart_backoff(const restart_policy& policy, int consecutive, double jitter) {
  auto backoff = policy.initial_backoff;
  for (int i = 1; i < consecutive && backoff < policy.max_backoff; ++i)
    backoff *= 2;
  backoff = std::min(backoff, policy.max_backoff);
  jitter = std::clamp(jitter, 0.5, 1.0);
  return std::chrono::milliseconds{static_cast<std::int64_t>(static_cast<double>(backoff.count()) * jitter)};
}

caf::behavior supervisor(state_type* self, std::vector<child_spec> specs, restart_policy policy,
                         restart_observer on_restart) {
  for (auto& spec : specs) {
    self->state.children.push_back({std::move(spec), {}, 0, {}});
    start_child(self, self->state.children.back());
  }
  // Children go down with their supervisor. This runs from the exit handler,
  // while the state still exists (CAF destroys it before attached functors run).
  self->set_exit_handler([self](caf::exit_msg& exit) {
    stop_children(self);
    self->quit(exit.reason);
  });
  self->set_down_handler([self, policy, on_restart](caf::down_msg& down) {
    auto& st = self->state;
    auto it = std::find_if(st.children.begin(), st.children.end(),
                           [&](const auto& c) { return c.handle && c.handle.address() == down.source; });
    if (it == st.children.end())
      return;
    it->handle = nullptr;
    // Callers should see "not running" rather than a dead handle.
    self->system().registry().erase(it->spec.registry_name);
    if (is_orderly_exit(down.reason))
      return;
    auto now = std::chrono::steady_clock::now();
    st.recent_restarts.push_back(now);
    while (!st.recent_restarts.empty() && now - st.recent_restarts.front() > policy.window)
      st.recent_restarts.pop_front();
    if (static_cast<int>(st.recent_restarts.size()) > policy.max_restarts) {
      stop_children(self);
      self->quit(caf::make_error(caf::sec::runtime_error,
                                 "supervisor gave up: more than " + std::to_string(policy.max_restarts) +
                                     " restarts within " + std::to_string(policy.window.count()) + " ms, last by " +
                                     it->spec.name));
      return;
    }
    if (on_restart)
      on_restart(it->spec.name, down.reason);
    // A child that stayed up for a whole window had recovered; its backoff
    // starts from the beginning again.
    if (now - it->started_at > policy.window)
      it->consecutive_restarts = 0;
    ++it->consecutive_restarts;
    std::uniform_real_distribution<double> jitter{0.5, 1.0};
    auto delay = restart_backoff(policy, it->consecutive_restarts, jitter(st.jitter));
    self->delayed_send(self, delay, restart_atom::value, it->spec.name);
  });
  return {
      [self](restart_atom, const std::string& name) {
        for (auto& c : self->state.children)
          if (c.spec.name == name && !c.handle)
            start_child(self, c);
      },
      // How many children run. The first children start before any message
      // is handled, so any answer also says they are registered.
      [self](caf::get_atom) {
        return static_cast<std::size_t>(std::count_if(self->state.children.begin(), self->state.children.end(),
                                                      [](const auto& c) { return static_cast<bool>(c.handle); }));
      },
  };
}

}  // namespace taskflow::runtime
