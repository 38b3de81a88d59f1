#include "actors/task/task_actor.hpp"

#include <algorithm>

#include "actors/shell/inspect_serially.hpp"
#include "actors/task/task_admin_view.hpp"
#include "actors/task/task_decider.hpp"
#include "messages/caf_types.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::task {
namespace {

// A resend follows its commit within one request deadline, so it is among
// the task's latest events unless this many writes came in between.
constexpr std::size_t events_searched_for_resends = 32;
// Another activation of the same task (during a rebalance) can win a commit;
// we reload and decide again a few times before giving up with a conflict.
constexpr int max_commit_attempts = 3;

messages::TaskReply error_reply(messages::Error error) {
  messages::TaskReply reply;
  *reply.mutable_error() = std::move(error);
  return reply;
}

messages::TaskReply unavailable(const caf::error& cause) {
  return error_reply(
      make_error(messages::ERROR_CODE_UNAVAILABLE, "The task store is unavailable: " + ports::error_detail(cause)));
}

task_state fresh(const std::string& task_id) {
  task_state out;
  out.snapshot.set_id(task_id);
  return out;
}

caf::expected<task_state> load(const std::string& task_id, const task_actor_deps& deps) {
  auto loaded = deps.store->load_task(task_id);
  if (!loaded)
    return loaded.error();
  if (!*loaded)
    return fresh(task_id);
  return std::move(**loaded);
}

// Every change of state goes through here, so remembered answers that show
// the state as it was keep showing it.
void replace_state(task_actor_state& st, std::optional<task_state> next) {
  if (st.state)
    st.recent.before_change(*st.state);
  st.state = std::move(next);
}

messages::TaskReply answer_for(const task_state& state, const messages::TaskCommand& cmd) {
  messages::TaskReply reply;
  if (cmd.has_delete_task())
    reply.set_deleted(true);
  else
    *reply.mutable_task() = state.snapshot;
  return reply;
}

messages::TaskReply decide_and_commit(task_actor_state& st, const std::string& task_id, const task_actor_deps& deps,
                                      const messages::TaskCommand& cmd) {
  for (int attempt = 1;; ++attempt) {
    auto outcome = decide(*st.state, cmd, decision_context{deps.now_ms()});
    if (auto* error = std::get_if<messages::Error>(&outcome))
      return error_reply(std::move(*error));
    auto& events = std::get<std::vector<messages::EventEnvelope>>(outcome);
    if (events.empty())
      return answer_for(*st.state, cmd);

    ports::task_commit commit;
    commit.expected_version = st.state->snapshot.version();
    commit.next = *st.state;
    for (auto& event : events) {
      event.set_event_id(ids::new_uuid_v7());
      event.set_command_id(cmd.command_id());
      event.set_traceparent(cmd.traceparent());
      commit.next = apply(std::move(commit.next), event);
    }
    commit.events = std::move(events);

    auto written = deps.store->commit(commit);
    if (written) {
      replace_state(st, std::move(commit.next));
      if (deps.on_committed)
        deps.on_committed();
      return answer_for(*st.state, cmd);
    }
    if (ports::is(written.error(), ports::store_errc::duplicate_key)) {
      auto error = make_error(messages::ERROR_CODE_CONFLICT, "A task with this source and external_id already exists.");
      error.set_existing_id(ports::error_detail(written.error()));
      return error_reply(std::move(error));
    }
    if (!ports::is(written.error(), ports::store_errc::conflict))
      return unavailable(written.error());
    if (attempt == max_commit_attempts)
      return error_reply(
          make_error(messages::ERROR_CODE_CONFLICT, "The task is being changed concurrently; try again."));
    auto reloaded = load(task_id, deps);
    if (!reloaded)
      return unavailable(reloaded.error());
    replace_state(st, std::move(*reloaded));
  }
}

// Rejections that the command's own earlier commit can cause. Only these
// pay for a look at the task's events.
bool rejects_what_it_did(const messages::TaskReply& reply) {
  if (!reply.has_error())
    return false;
  auto code = reply.error().code();
  return code == messages::ERROR_CODE_CONFLICT || code == messages::ERROR_CODE_VERSION_MISMATCH ||
         code == messages::ERROR_CODE_NOT_FOUND || code == messages::ERROR_CODE_INVALID_TRANSITION;
}

// When the node that committed a command dies before answering, the edge
// sends it again to the shard's next owner, whose new activation does not
// remember it and finds the state the command produced: a create meets its
// own task, a conditional patch a newer version. The command's events carry
// its id, so such a resend answers as the success it was.
//
// The history is read once per version of the state: events up to it never
// change, and a burst of conditional writes racing on one task would
// otherwise cost a store read per refusal, each holding up the task's
// queue of commands.
std::optional<messages::TaskReply> earlier_outcome(task_actor_state& st, const std::string& task_id,
                                                   const task_actor_deps& deps, const messages::TaskCommand& cmd) {
  if (cmd.command_id().empty() || !deps.history || !st.state)
    return std::nullopt;
  // A later change may have hidden the task from the principal since.
  if (!cmd.has_delete_task() && !is_visible_to(st.state->snapshot, cmd.principal()))
    return std::nullopt;
  auto version = st.state->snapshot.version();
  if (!st.history || st.history->version != version) {
    auto events = deps.history->recent_events(aggregate_type, task_id, events_searched_for_resends);
    if (!events)
      return std::nullopt;
    auto read = std::make_unique<history_read>();
    read->version = version;
    for (const auto& event : *events)
      read->command_ids.push_back(event.command_id());
    st.history = std::move(read);
  }
  const auto& ids = st.history->command_ids;
  if (std::find(ids.begin(), ids.end(), cmd.command_id()) != ids.end())
    return answer_for(*st.state, cmd);
  return std::nullopt;
}

}  // namespace

messages::TaskReply handle_command(task_actor_state& st, const std::string& task_id, const task_actor_deps& deps,
                                   const messages::TaskCommand& cmd) {
  // A create names an id the edge has just made up, so the load could only
  // find nothing. Should the task exist after all (a retried request), the
  // commit's version fence refuses it and the task is loaded then.
  bool assumed = !st.state && cmd.has_create();
  if (assumed) {
    st.state = fresh(task_id);
  } else if (!st.state) {
    auto loaded = load(task_id, deps);
    if (!loaded)
      return unavailable(loaded.error());
    st.state = std::move(*loaded);
  }
  if (cmd.has_get()) {
    if (!st.state->exists() || !is_visible_to(st.state->snapshot, cmd.principal()))
      return error_reply(make_error(messages::ERROR_CODE_NOT_FOUND, "No task with this id."));
    return answer_for(*st.state, cmd);
  }
  if (!cmd.command_id().empty())
    if (auto remembered = st.recent.find(cmd.command_id(), *st.state))
      return std::move(*remembered);
  auto reply = decide_and_commit(st, task_id, deps, cmd);
  if (rejects_what_it_did(reply))
    if (auto earlier = earlier_outcome(st, task_id, deps, cmd))
      reply = std::move(*earlier);
  // An assumed state that no commit confirmed is not kept: the next command
  // loads the task.
  if (assumed && reply.has_error())
    replace_state(st, std::nullopt);
  // Unavailability is not an outcome: a retry of the same command may succeed.
  bool transient = reply.has_error() && reply.error().code() == messages::ERROR_CODE_UNAVAILABLE;
  if (!cmd.command_id().empty() && !transient)
    st.recent.remember(cmd.command_id(), reply, st.state ? &*st.state : nullptr);
  return reply;
}

namespace {

messages::TaskReply pool_full() {
  return error_reply(make_error(messages::ERROR_CODE_UNAVAILABLE, ports::pool_full_detail));
}

}  // namespace

caf::behavior task_actor(task_actor_type* self, std::string task_id, std::shared_ptr<const task_actor_deps> deps) {
  self->state.id = std::move(task_id);
  shell::quit_when_idle(self, self->state.jobs);
  return {
      [self, deps](const messages::TaskCommand& cmd) -> caf::result<messages::TaskReply> {
        auto& st = self->state;
        // A read of a loaded task needs no store: answer it here unless an
        // earlier command is still running (it would see the older state).
        if (cmd.has_get() && st.data->state && st.jobs.idle())
          return handle_command(*st.data, st.id, *deps, cmd);
        auto promise = self->make_response_promise<messages::TaskReply>();
        shell::run_serially(
            self, st.jobs, *deps->pool, st.data, promise,
            [id = st.id, deps, cmd](task_actor_state& data) { return handle_command(data, id, *deps, cmd); },
            pool_full());
        return promise;
      },
      [self, deps](const messages::InspectAggregate&) {
        auto load_state = [id = self->state.id, deps](task_actor_state& st) -> caf::error {
          auto loaded = load(id, *deps);
          if (!loaded)
            return loaded.error();
          replace_state(st, std::move(*loaded));
          return caf::none;
        };
        return shell::inspect_serially(self, *deps->pool, load_state,
                                       [](const task_state& s) { return admin_view(s); });
      },
      [self, deps](shell::resume& done) { self->state.jobs.finished(self, *deps->pool, done); },
  };
}

}  // namespace taskflow::task
