// What a batch of events does to task_view, decided without a database, so
// both stores project alike and apply it with their own SQL. Every task
// event carries the whole task (or its deletion), so a task's view row
// follows the newest of its events alone; and since events of one task can
// arrive out of order after a redelivery, a view row only moves forward in
// version, and a tombstone outranks older events.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "messages/events/event_envelope.pb.h"

namespace taskflow::persistence::view_projection {

// The task an event carries, or nullptr (a deletion, or another kind).
const messages::TaskSnapshot* snapshot_of(const messages::EventEnvelope& event);

// The version a view row takes from the event; 0 when it leaves views alone.
std::int64_t view_version_of(const messages::EventEnvelope& event);

// Per task id, in id order, the newest of the events marked fresh (not yet
// in the consumer's inbox) that shapes a view. The views point into `events`.
std::map<std::string_view, const messages::EventEnvelope*> newest_by_task(
    const std::vector<messages::EventEnvelope>& events, const std::vector<bool>& fresh);

// Whether the event moves a view row that stands at `known` (its version,
// or its tombstone's; 0 for none).
inline bool moves_view(const messages::EventEnvelope& event, std::int64_t known) {
  return view_version_of(event) > known;
}

}  // namespace taskflow::persistence::view_projection
