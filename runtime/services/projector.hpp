// The read-model projector: the batched bus consumer's work that applies
// task events to task_view. Each event is recorded in the inbox in the same
// transaction, so a redelivered event has no second effect; a batch is one
// transaction.
#pragma once

#include <memory>

#include "actors/ports/services/read_model_store.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/services/batched_consumer.hpp"

namespace taskflow::runtime {

inline constexpr auto projector_consumer = "projector";

struct projector_deps {
  std::shared_ptr<ports::read_model_store> read_model;
  const logger* log = nullptr;
  metrics* stats = nullptr;
};

batch_work projection(projector_deps deps);

}  // namespace taskflow::runtime
