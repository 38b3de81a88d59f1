// The actor shell around the task aggregate: load state from the store on
// activation, decide, commit state + events + outbox in one transaction, reply.
// One command at a time per task. Loads and history reads run on the
// blocking pool; a commit is handed to the store's group commit and the
// command goes on when the store answers, so no thread waits for the write;
// a read of a loaded task is answered on the actor's own thread.
// Virtual activation and passivation are the shard host's business, not ours.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/event_history.hpp"
#include "actors/ports/task_store.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "actors/task/command_memory.hpp"
#include "actors/task/task_reminders.hpp"
#include "actors/task/task_state.hpp"
#include "messages/task/task_commands.pb.h"
#include "messages/task/task_replies.pb.h"

namespace taskflow::task {

struct task_actor_deps {
  std::shared_ptr<ports::task_store> store;
  // Runs the store calls; outlives every actor (the node owns it).
  ports::blocking_executor* pool = nullptr;
  std::function<std::int64_t()> now_ms;
  // Tells the outbox relay there is something to publish.
  std::function<void()> on_committed;
  // Where a rejected command looks for its own earlier commit (optional).
  std::shared_ptr<ports::event_history> history;
  // How long before its due date a task is "due soon" (--reminder-lead).
  std::chrono::milliseconds reminder_lead = default_reminder_lead;
  // Tells the node's timer wheel when the task's reminder timer rings next
  // (nullopt: never), after a commit moved it and after a reminder command,
  // so a wheel holding a stale time learns the stored one (optional).
  std::function<void(const std::string& task_id, std::optional<std::int64_t> remind_at_ms,
                     const std::string& traceparent)>
      on_reminder_timer = nullptr;
};

inline constexpr std::size_t remembered_commands = 256;

// The command ids of a task's latest events, read from its history when a
// refusal might be a resend, and the version of the state they were read at.
struct history_read {
  std::int64_t version = 0;
  std::vector<std::string> command_ids;
};

struct task_actor_state {
  // nullopt until loaded from the store, or until a create assumes its
  // fresh id is new.
  std::optional<task_state> state;
  command_memory recent{remembered_commands};
  // Allocated at the first refusal only: most tasks never need it.
  std::unique_ptr<history_read> history;
};

struct task_shell_state {
  std::string id;
  // Shared with the job in flight, which may outlive a killed actor.
  std::shared_ptr<task_actor_state> data = std::make_shared<task_actor_state>();
  shell::serial_jobs jobs;

  static inline const char* name = "task";
};

using task_actor_type = caf::stateful_actor<task_shell_state>;

// The deps are shared by every task actor of a node, not copied into each.
caf::behavior task_actor(task_actor_type* self, std::string task_id, std::shared_ptr<const task_actor_deps> deps);

// One command against the actor's state, with nothing else of the actor's
// running meanwhile. It runs on the caller's thread until it must wait (a
// load, a history read, the commit) and goes on from whichever thread
// answered. It ends by calling `done` once, with what the actor runs then:
// `deliver` with the reply, or rethrowing what a step threw. Exposed so
// tests can drive the shell's commit and retry rules without an actor system.
void handle_command(std::shared_ptr<task_actor_state> st, std::string task_id,
                    std::shared_ptr<const task_actor_deps> deps, messages::TaskCommand cmd,
                    std::function<void(messages::TaskReply)> deliver, shell::completion done);

}  // namespace taskflow::task
