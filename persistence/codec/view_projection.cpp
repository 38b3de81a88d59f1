#include "persistence/codec/view_projection.hpp"

namespace taskflow::persistence::view_projection {

const messages::TaskSnapshot* snapshot_of(const messages::EventEnvelope& event) {
  if (event.has_task_created())
    return &event.task_created().task();
  if (event.has_task_updated())
    return &event.task_updated().task();
  if (event.has_task_status_changed())
    return &event.task_status_changed().task();
  return nullptr;
}

std::int64_t view_version_of(const messages::EventEnvelope& event) {
  if (event.has_task_deleted())
    return static_cast<std::int64_t>(event.version());
  const auto* task = snapshot_of(event);
  return task ? static_cast<std::int64_t>(task->version()) : 0;
}

std::map<std::string_view, const messages::EventEnvelope*> newest_by_task(
    const std::vector<messages::EventEnvelope>& events, const std::vector<bool>& fresh) {
  std::map<std::string_view, const messages::EventEnvelope*> newest;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& event = events[i];
    if (!fresh[i] || view_version_of(event) == 0)
      continue;
    auto [at, added] = newest.emplace(event.aggregate_id(), &event);
    if (!added && view_version_of(*at->second) < view_version_of(event))
      at->second = &event;
  }
  return newest;
}

}  // namespace taskflow::persistence::view_projection
