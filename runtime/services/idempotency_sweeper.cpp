#include "runtime/services/idempotency_sweeper.hpp"

#include "runtime/atoms.hpp"

namespace taskflow::runtime {

caf::behavior idempotency_sweeper(caf::stateful_actor<idempotency_sweeper_state>* self,
                                  idempotency_sweeper_config config, idempotency_sweeper_deps deps) {
  self->send(self, tick_atom::value);
  return {
      [self, config, deps](tick_atom) {
        auto& st = self->state;
        auto purged = deps.store->purge_expired(deps.now_ms());
        if (!purged) {
          // Logged once per outage, not once per tick.
          if (!st.failing && deps.log)
            deps.log->warn("idempotency_sweep_failed", {{"error", ports::error_detail(purged.error())}});
          st.failing = true;
        } else {
          st.failing = false;
          st.purged += *purged;
          if (*purged > 0 && deps.log)
            deps.log->info("idempotency_keys_expired", {{"count", *purged}});
        }
        self->delayed_send(self, config.interval, tick_atom::value);
      },
  };
}

}  // namespace taskflow::runtime
