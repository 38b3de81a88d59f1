// The task aggregate's functional core: decide() turns a command into events
// or an error; apply() folds an event into the state. No I/O, no clock, no
// randomness: the actor shell passes `now` and stamps event ids.
#pragma once

#include <chrono>
#include <cstdint>
#include <variant>
#include <vector>

#include "actors/task/task_reminders.hpp"
#include "actors/task/task_state.hpp"
#include "messages/common/errors.hpp"
#include "messages/events/event_envelope.pb.h"
#include "messages/task/task_commands.pb.h"

namespace taskflow::task {

// The aggregate type the task's events carry.
inline constexpr const char* aggregate_type = "task";

struct decision_context {
  std::int64_t now_ms = 0;
  // How long before its due date a task is "due soon" (--reminder-lead).
  std::chrono::milliseconds reminder_lead = default_reminder_lead;
};

// Events carry aggregate id, version and occurred_at; event_id and
// traceparent are left for the shell. An empty list means "nothing changed".
using decision = std::variant<std::vector<messages::EventEnvelope>, messages::Error>;

decision decide(const task_state& state, const messages::TaskCommand& command, const decision_context& context);

task_state apply(task_state state, const messages::EventEnvelope& event);

// Owner, assignees and admins see a task; everyone else is told it does not exist.
bool is_visible_to(const messages::TaskSnapshot& task, const messages::Principal& principal);

}  // namespace taskflow::task
