// Port: the query side. Consumers project events into views, each event at most
// once per consumer thanks to an inbox keyed by event id.
#pragma once

#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "messages/task/task_events.pb.h"
#include "messages/task/task_replies.pb.h"

namespace taskflow::ports {

enum class projection_outcome {
  applied,
  // The inbox already held this event id: a redelivery, with no second effect.
  duplicate,
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

  virtual caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) = 0;

  // Cheap round trip for readiness checks.
  virtual caf::expected<void> ping() = 0;
};

}  // namespace taskflow::ports
