#include "runtime/services/outbox_relay.hpp"

#include <utility>

#include <caf/event_based_actor.hpp>

#include "messages/events/event_type.hpp"
#include "messages/time/unix_clock.hpp"
#include "messages/trace/span.hpp"
#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace {

using relay_actor = caf::stateful_actor<outbox_relay_state>;

// OpenTelemetry's messaging conventions; only sampled events get one.
trace::span publish_span(const messages::EventEnvelope& event, std::size_t index) {
  auto parent = trace::parse_traceparent(event.traceparent());
  if (!parent || !parent->sampled)
    return {};
  auto span = trace::span::start("publish taskflow.events", trace::kind::producer, event.traceparent());
  span.attr("messaging.operation.type", "publish")
      .attr("messaging.destination.name", "taskflow.events")
      .attr("messaging.message.id", event.event_id())
      .attr("taskflow.event_type", messages::event_type(event))
      .attr("taskflow.batch.index", static_cast<std::int64_t>(index));
  return span;
}

// Publishes batches until the outbox is empty or the bus fails.
void drain(relay_progress& st, const outbox_relay_config& config, const outbox_relay_deps& deps) {
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
    std::vector<trace::span> spans;
    events.reserve(batch->size());
    for (auto& entry : *batch) {
      seqs.push_back(entry.seq);
      if (auto span = publish_span(entry.event, events.size()); span.recording()) {
        // Consumers continue the publish's span, not the writer's.
        entry.event.set_traceparent(span.traceparent());
        spans.push_back(std::move(span));
      }
      events.push_back(std::move(entry.event));
    }
    auto published = deps.bus->publish(events, config.publish_timeout);
    for (auto& span : spans) {
      if (!published)
        span.fail(ports::error_detail(published.error()));
      span.attr("messaging.batch.message_count", static_cast<std::int64_t>(events.size())).end();
    }
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

// Starts a drain unless one runs; then one more follows it.
void start_drain(relay_actor* self, const outbox_relay_config& config, const outbox_relay_deps& deps, bool tick) {
  auto& st = self->state;
  if (!st.jobs.idle()) {
    st.again = true;
    st.again_tick = st.again_tick || tick;
    return;
  }
  st.jobs.submit(
      self, *deps.pool,
      [progress = st.progress, config, deps, tick]() -> std::function<void()> {
        if (tick) {
          // Before the drain: with the bus away a drain lasts a publish
          // timeout, and the backlog is what an operator watches meanwhile;
          // what the drain leaves shows at the next tick.
          refresh_backlog(deps);
          // Pruning is cheap but needless on every tick.
          if (++progress->ticks % 300 == 0)
            (void)deps.outbox->prune_sent(clock::unix_now_ms() - config.keep_sent.count());
        }
        drain(*progress, config, deps);
        return [] {};
      },
      [] {}, [](const caf::error&) {});
}

}  // namespace

caf::behavior outbox_relay(relay_actor* self, outbox_relay_config config, outbox_relay_deps deps) {
  shell::quit_when_idle(self, self->state.jobs);
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
        start_drain(self, config, deps, false);
      },
      [self, config, deps](tick_atom) {
        start_drain(self, config, deps, true);
        self->delayed_send(self, config.poll_interval, tick_atom::value);
      },
      [self, config, deps](shell::resume& done) {
        self->state.jobs.finished(self, done);
        if (std::exchange(self->state.again, false))
          start_drain(self, config, deps, std::exchange(self->state.again_tick, false));
      },
  };
}

}  // namespace taskflow::runtime
