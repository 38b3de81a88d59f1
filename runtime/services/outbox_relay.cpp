#include "runtime/services/outbox_relay.hpp"

#include <caf/event_based_actor.hpp>

#include "messages/time/unix_clock.hpp"
#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace {

using relay_actor = caf::stateful_actor<outbox_relay_state>;

// Publishes batches until the outbox is empty or the bus fails.
void drain(relay_actor* self, const outbox_relay_config& config, const outbox_relay_deps& deps) {
  auto& st = self->state;
  for (;;) {
    auto batch = deps.outbox->fetch_unsent(config.batch_size);
    if (!batch) {
      if (!st.failing)
        deps.log->warn("outbox_fetch_failed", {{"error", ports::error_detail(batch.error())}});
      st.failing = true;
      return;
    }
    if (batch->empty())
      break;
    std::vector<messages::EventEnvelope> events;
    std::vector<std::int64_t> seqs;
    events.reserve(batch->size());
    for (auto& entry : *batch) {
      seqs.push_back(entry.seq);
      events.push_back(std::move(entry.event));
    }
    auto published = deps.bus->publish(events, config.publish_timeout);
    if (!published) {
      deps.stats->publish_failures.Increment();
      // Logged once per outage, not once per poll.
      if (!st.failing)
        deps.log->warn("outbox_publish_failed",
                       {{"error", ports::error_detail(published.error())}, {"batch", events.size()}});
      st.failing = true;
      return;
    }
    if (auto marked = deps.outbox->mark_sent(seqs); !marked) {
      deps.log->warn("outbox_mark_failed", {{"error", ports::error_detail(marked.error())}});
      st.failing = true;
      return;
    }
    deps.stats->events_published.Increment(static_cast<double>(events.size()));
    if (st.failing)
      deps.log->info("outbox_publish_recovered");
    st.failing = false;
    if (batch->size() < config.batch_size)
      break;
  }
}

void refresh_backlog(const outbox_relay_deps& deps) {
  if (auto backlog = deps.outbox->backlog())
    deps.stats->outbox_backlog.Set(static_cast<double>(*backlog));
}

}  // namespace

caf::behavior outbox_relay(relay_actor* self, outbox_relay_config config, outbox_relay_deps deps) {
  self->send(self, tick_atom::value);
  return {
      [self](nudge_atom) {
        // Many commits nudge at once; one drain covers them all.
        if (!self->state.drain_pending) {
          self->state.drain_pending = true;
          self->send(self, drain_atom::value);
        }
      },
      [self, config, deps](drain_atom) {
        self->state.drain_pending = false;
        drain(self, config, deps);
      },
      [self, config, deps](tick_atom) {
        drain(self, config, deps);
        refresh_backlog(deps);
        // Pruning is cheap but needless on every tick.
        if (++self->state.ticks % 300 == 0) {
          auto cutoff = clock::unix_now_ms() - config.keep_sent.count();
          (void)deps.outbox->prune_sent(cutoff);
        }
        self->delayed_send(self, config.poll_interval, tick_atom::value);
      },
  };
}

}  // namespace taskflow::runtime
