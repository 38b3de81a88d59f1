#include "runtime/services/idempotency_sweeper.hpp"

#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace {

void sweep(sweep_progress& progress, const idempotency_sweeper_deps& deps) {
  auto purged = deps.store->purge_expired(deps.now_ms());
  if (!purged) {
    // Logged once per outage, not once per tick.
    if (!progress.failing && deps.log)
      deps.log->warn("idempotency_sweep_failed", {{"error", ports::error_detail(purged.error())}});
    progress.failing = true;
    return;
  }
  progress.failing = false;
  progress.purged += *purged;
  if (*purged > 0 && deps.log)
    deps.log->info("idempotency_keys_expired", {{"count", *purged}});
}

}  // namespace

caf::behavior idempotency_sweeper(caf::stateful_actor<idempotency_sweeper_state>* self,
                                  idempotency_sweeper_config config, idempotency_sweeper_deps deps) {
  auto& jobs = self->state.jobs;
  shell::quit_when_idle(self, jobs);
  self->send(self, tick_atom::value);
  return {
      [self, &jobs, config, deps](tick_atom) {
        if (jobs.idle())
          jobs.submit(
              self, *deps.pool,
              [progress = self->state.progress, deps]() -> std::function<void()> {
                sweep(*progress, deps);
                return [] {};
              },
              [] {}, [](const caf::error&) {});
        self->delayed_send(self, config.interval, tick_atom::value);
      },
      [self, &jobs](shell::resume& done) { jobs.finished(self, done); },
  };
}

}  // namespace taskflow::runtime
