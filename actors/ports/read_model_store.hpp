// Port: the query side. Consumers project events into views, each event at most
// once per consumer thanks to an inbox keyed by event id.
#pragma once

#include <string>

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

  // Applies the event to task_view and records it in the consumer's inbox, in
  // one transaction.
  virtual caf::expected<projection_outcome> project(const std::string& consumer,
                                                    const messages::EventEnvelope& event) = 0;

  virtual caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) = 0;

  // Cheap round trip for readiness checks.
  virtual caf::expected<void> ping() = 0;
};

}  // namespace taskflow::ports
