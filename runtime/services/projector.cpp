#include "runtime/services/projector.hpp"

namespace taskflow::runtime {

batch_work projection(projector_deps deps) {
  auto* applied = &deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "applied"}});
  auto* duplicate = &deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "duplicate"}});
  auto* failed = &deps.stats->events_consumed.Add({{"consumer", projector_consumer}, {"outcome", "failed"}});
  return [deps, applied, duplicate, failed](const std::vector<messages::EventEnvelope>& events) {
    auto outcomes = deps.read_model->project(projector_consumer, events);
    if (!outcomes) {
      failed->Increment(static_cast<double>(events.size()));
      deps.log->warn("projection_failed",
                     {{"events", events.size()}, {"error", ports::error_detail(outcomes.error())}});
      return false;
    }
    for (auto outcome : *outcomes)
      (outcome == ports::projection_outcome::applied ? applied : duplicate)->Increment();
    return true;
  };
}

}  // namespace taskflow::runtime
