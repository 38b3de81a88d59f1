#include "runtime/services/projector.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "runtime/atoms.hpp"

namespace taskflow::runtime {

caf::behavior projector(caf::stateful_actor<projector_state>* self, projector_deps deps) {
  auto& applied = deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "applied"}});
  auto& duplicate = deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "duplicate"}});
  auto& failed = deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "failed"}});

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
  return {
      [self](ports::bus_delivery& delivery) {
        // The drain message queues behind the deliveries already in the
        // mailbox, so everything that arrived meanwhile goes in one batch.
        self->state.pending.push_back(std::move(delivery));
        if (!self->state.drain_scheduled) {
          self->state.drain_scheduled = true;
          self->send(self, drain_atom::value);
        }
      },
      [self, deps, &applied, &duplicate, &failed](drain_atom) {
        auto batch = std::move(self->state.pending);
        self->state.pending.clear();
        self->state.drain_scheduled = false;
        std::vector<messages::EventEnvelope> events;
        events.reserve(batch.size());
        // Only the ack/nak callbacks are needed after projecting.
        for (auto& d : batch)
          events.push_back(std::move(d.event));
        auto outcomes = deps.read_model->project(projector_consumer, events);
        if (!outcomes) {
          failed.Increment(static_cast<double>(batch.size()));
          deps.log->warn("projection_failed",
                         {{"events", batch.size()}, {"error", ports::error_detail(outcomes.error())}});
          for (auto& d : batch)
            d.nak();
          return;
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
          ((*outcomes)[i] == ports::projection_outcome::applied ? applied : duplicate).Increment();
          batch[i].ack();
        }
      },
  };
}

}  // namespace taskflow::runtime
