// Port: durable state of task aggregates. One commit writes the new state, the
// events and their outbox rows in one transaction, fenced by version.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "actors/task/task_state.hpp"
#include "messages/events/event_envelope.pb.h"

namespace taskflow::ports {

struct task_commit {
  // The version the writer read; 0 when the task is new.
  std::int64_t expected_version = 0;
  task::task_state next;
  std::vector<messages::EventEnvelope> events;
  // When the task's reminder timer rings next (task::next_reminder_at of
  // `next`), stored with it; nullopt cancels it.
  std::optional<std::int64_t> remind_at_ms;
  // The W3C trace context of the command that made it: the store's commit
  // span is its child.
  std::string traceparent;
};

// Runs once per commit, when it is durable or has failed.
using commit_done = std::function<void(caf::expected<void>)>;

class task_store {
public:
  virtual ~task_store() = default;

  // The task's durable state (with the mark of its last reminder), or
  // nullopt when no such task was ever created.
  virtual caf::expected<std::optional<task::task_state>> load_task(const std::string& id) = 0;

  // Returns at once, without waiting on the write: `done` runs later on a
  // store thread (or before returning, for a store that writes inline) and
  // is the store's last use of `commit`. Fails with store_errc::conflict
  // when the stored version is not expected_version, and
  // store_errc::duplicate_key (detail: the existing task id) when
  // (owner, source, external id) is taken.
  virtual void commit(std::shared_ptr<const task_commit> commit, commit_done done) = 0;
};

}  // namespace taskflow::ports
