// Port: durable state of task aggregates. One commit writes the new state, the
// events and their outbox rows in one transaction, fenced by version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "actors/task/task_state.hpp"
#include "messages/task/task_events.pb.h"

namespace taskflow::ports {

struct task_commit {
  // The version the writer read; 0 when the task is new.
  std::int64_t expected_version = 0;
  task::task_state next;
  std::vector<messages::EventEnvelope> events;
};

class task_store {
public:
  virtual ~task_store() = default;

  // The task's durable state, or nullopt when no such task was ever created.
  virtual caf::expected<std::optional<task::task_state>> load_task(const std::string& id) = 0;

  // Fails with store_errc::conflict when the stored version is not
  // expected_version, and store_errc::duplicate_key (detail: the existing
  // task id) when (owner, source, external id) is taken.
  virtual caf::expected<void> commit(const task_commit& commit) = 0;
};

}  // namespace taskflow::ports
