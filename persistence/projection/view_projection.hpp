// What a batch of events does to task_view, decided without a database, so
// both stores project alike and apply it with their own SQL. Every task
// event carries the whole task (or its deletion), so a task's view row
// follows the newest of its events alone; and since events of one task can
// arrive out of order after a redelivery, a view row only moves forward in
// version, and a tombstone outranks older events.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "messages/events/event_envelope.pb.h"

namespace taskflow::persistence::view_projection {

// A task's row in task_view (and its task_view_assignees rows), as a list
// query reads it back.
struct view_row {
  std::string id;
  std::string owner_id;
  std::string status;  // the wire name, which list filters compare with
  std::int64_t version = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::string task;                    // the snapshot as stored JSON
  std::vector<std::string> assignees;  // each once, in the task's order
};

// A deleted task: its row goes, and the tombstone's version keeps an older
// event that arrives later from bringing it back.
struct view_tombstone {
  std::string id;
  std::int64_t version = 0;
};

using view_change = std::variant<view_row, view_tombstone>;

// Per task id, in id order, the newest of the events marked fresh (not yet
// in the consumer's inbox) that shapes a view. The views point into `events`.
std::map<std::string_view, const messages::EventEnvelope*> newest_by_task(
    const std::vector<messages::EventEnvelope>& events, const std::vector<bool>& fresh);

// What the event does to its task's view, which stands at `known` (the row's
// version, or its tombstone's; 0 for none): nothing when the event is no
// newer or shapes no view.
std::optional<view_change> change_of(const messages::EventEnvelope& event, std::int64_t known);

}  // namespace taskflow::persistence::view_projection
