#include "runtime/services/projector.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

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
      [deps, &applied, &duplicate, &failed](ports::bus_delivery& delivery) {
        auto outcome = deps.read_model->project(projector_consumer, delivery.event);
        if (!outcome) {
          failed.Increment();
          deps.log->warn("projection_failed",
                         {{"event_id", delivery.event.event_id()}, {"error", ports::error_detail(outcome.error())}});
          delivery.nak();
          return;
        }
        (*outcome == ports::projection_outcome::applied ? applied : duplicate).Increment();
        delivery.ack();
      },
  };
}

}  // namespace taskflow::runtime
