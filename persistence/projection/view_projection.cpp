#include "persistence/projection/view_projection.hpp"

#include <set>

#include "actors/task/task_status.hpp"
#include "persistence/codec/proto_json.hpp"

namespace taskflow::persistence::view_projection {
namespace {

// The task an event carries, or nullptr (a deletion, or another kind).
const messages::TaskSnapshot* snapshot_of(const messages::EventEnvelope& event) {
  if (event.has_task_created())
    return &event.task_created().task();
  if (event.has_task_updated())
    return &event.task_updated().task();
  if (event.has_task_status_changed())
    return &event.task_status_changed().task();
  // A reminder moves only the version, but the view shows the version too.
  if (event.has_task_reminder_due())
    return &event.task_reminder_due().task();
  return nullptr;
}

// The version a view row takes from the event; 0 when it leaves views alone.
std::int64_t view_version_of(const messages::EventEnvelope& event) {
  if (event.has_task_deleted())
    return static_cast<std::int64_t>(event.version());
  const auto* task = snapshot_of(event);
  return task ? static_cast<std::int64_t>(task->version()) : 0;
}

view_row row_of(const messages::TaskSnapshot& snap) {
  view_row row;
  row.id = snap.id();
  row.owner_id = snap.owner_id();
  row.status = std::string{task::status_name(snap.status())};
  row.version = static_cast<std::int64_t>(snap.version());
  row.created_at_ms = static_cast<std::int64_t>(snap.created_at_ms());
  row.updated_at_ms = static_cast<std::int64_t>(snap.updated_at_ms());
  row.task = to_json(snap);
  // The assignees table holds one row per task and person.
  std::set<std::string_view> seen;
  for (const auto& assignee : snap.assignees())
    if (seen.insert(assignee).second)
      row.assignees.push_back(assignee);
  return row;
}

}  // namespace

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

std::optional<view_change> change_of(const messages::EventEnvelope& event, std::int64_t known) {
  if (view_version_of(event) <= known)
    return std::nullopt;
  if (event.has_task_deleted())
    return view_tombstone{event.aggregate_id(), static_cast<std::int64_t>(event.version())};
  return row_of(*snapshot_of(event));
}

}  // namespace taskflow::persistence::view_projection
