#include "runtime/services/projector.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace {

struct projection_counters {
  prometheus::Counter* applied;
  prometheus::Counter* duplicate;
  prometheus::Counter* failed;
};

// One transaction for the batch, then an ack or a nak for each delivery.
void project_batch(std::vector<ports::bus_delivery>& batch, const projector_deps& deps, projection_counters counters) {
  std::vector<messages::EventEnvelope> events;
  events.reserve(batch.size());
  // Only the ack/nak callbacks are needed after projecting.
  for (auto& d : batch)
    events.push_back(std::move(d.event));
  auto outcomes = deps.read_model->project(projector_consumer, events);
  if (!outcomes) {
    counters.failed->Increment(static_cast<double>(batch.size()));
    deps.log->warn("projection_failed", {{"events", batch.size()}, {"error", ports::error_detail(outcomes.error())}});
    for (auto& d : batch)
      d.nak();
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    ((*outcomes)[i] == ports::projection_outcome::applied ? counters.applied : counters.duplicate)->Increment();
    batch[i].ack();
  }
}

void nak_all(std::vector<ports::bus_delivery>& batch) {
  for (auto& d : batch)
    d.nak();
}

// The drain message queues behind the deliveries already in the mailbox, so
// everything that arrived meanwhile goes in one batch.
void schedule_drain(caf::stateful_actor<projector_state>* self) {
  if (!self->state.drain_scheduled) {
    self->state.drain_scheduled = true;
    self->send(self, drain_atom::value);
  }
}

}  // namespace

caf::behavior projector(caf::stateful_actor<projector_state>* self, projector_deps deps) {
  projection_counters counters{
      &deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "applied"}}),
      &deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "duplicate"}}),
      &deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "failed"}})};

  // The bus calls back on its own thread; a weak handle lets the actor die
  // (and be restarted) without the bus keeping it alive.
  caf::weak_actor_ptr me = self->ctrl();
  auto subscription = deps.bus->subscribe(projector_consumer, [me](ports::bus_delivery delivery) {
    if (auto target = caf::actor_cast<caf::actor>(me))
      caf::anon_send(target, std::move(delivery));
    else
      delivery.nak();
  });
  if (!subscription) {
    // Failing here lets the supervisor retry with backoff.
    deps.log->warn("projector_subscribe_failed", {{"error", ports::error_detail(subscription.error())}});
    self->quit(caf::make_error(caf::sec::runtime_error, "projector could not subscribe"));
    return {};
  }
  self->state.subscription = std::move(*subscription);
  shell::quit_when_idle(self, self->state.jobs);
  return {
      [self](ports::bus_delivery& delivery) {
        self->state.pending.push_back(std::move(delivery));
        schedule_drain(self);
      },
      [self, deps, counters](drain_atom) {
        auto& st = self->state;
        st.drain_scheduled = false;
        // A batch in flight drains again when it is done.
        if (!st.jobs.idle() || st.pending.empty())
          return;
        auto batch = std::make_shared<std::vector<ports::bus_delivery>>(std::move(st.pending));
        st.pending.clear();
        st.jobs.submit(
            self, *deps.pool,
            [batch, deps, counters]() -> std::function<void()> {
              project_batch(*batch, deps, counters);
              return [] {};
            },
            [batch] { nak_all(*batch); }, [batch](const caf::error&) { nak_all(*batch); });
      },
      [self](shell::resume& done) {
        self->state.jobs.finished(self, done);
        if (!self->state.pending.empty())
          schedule_drain(self);
      },
  };
}

}  // namespace taskflow::runtime
