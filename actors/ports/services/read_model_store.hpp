// Port: the query side. Consumers project events into views, each event at most
// once per consumer thanks to an inbox keyed by event id.
// A service port: actors never call it; only runtime services do (the
// projector writes through it, the task gateway's lists read through it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "messages/events/event_envelope.pb.h"
#include "messages/task/task_replies.pb.h"

namespace taskflow::ports {

enum class projection_outcome {
  applied,
  // The inbox already held this event id: a redelivery, with no second effect.
  duplicate,
};

// Where a task's view stands: the version of the newest event projected for
// it, and whether that event deleted it. {0, false}: nothing projected yet.
struct view_mark {
  std::int64_t version = 0;
  bool deleted = false;
};

class read_model_store {
public:
  virtual ~read_model_store() = default;

  // Applies the events, in order, to task_view and records each in the
  // consumer's inbox, all in one transaction: one outcome per event, or an
  // error and no effect at all. Batching keeps the projector from taking the
  // single writer once per event.
  virtual caf::expected<std::vector<projection_outcome>> project(
      const std::string& consumer, const std::vector<messages::EventEnvelope>& events) = 0;

  // Offset paging with a total: query.offset and query.limit.
  virtual caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) = 0;

  // Keyset paging (query.keyset): at most query.limit tasks strictly after
  // the position, newest first, and whether more follow. Stable while tasks
  // are inserted: a page never repeats or skips a task that existed when the
  // first page was read.
  virtual caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) = 0;

  // How far the projector has got with one task, so a client's list can wait
  // for its own write.
  virtual caf::expected<view_mark> view_mark_of(const std::string& task_id) = 0;

  // Cheap round trip for readiness checks.
  virtual caf::expected<void> ping() = 0;
};

}  // namespace taskflow::ports
