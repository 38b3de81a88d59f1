#include "actors/task/task_actor.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "actors/shell/command_span.hpp"
#include "actors/shell/inspect_serially.hpp"
#include "actors/task/task_admin_view.hpp"
#include "actors/task/task_decider.hpp"
#include "messages/caf_types.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/trace/span.hpp"

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
  return error_reply(messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                                          "The task store is unavailable: " + ports::error_detail(cause)));
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
bool might_be_resend(const task_actor_state& st, const task_actor_deps& deps, const messages::TaskCommand& cmd) {
  if (cmd.command_id().empty() || !deps.history || !st.state)
    return false;
  // A later change may have hidden the task from the principal since.
  return cmd.has_delete_task() || is_visible_to(st.state->snapshot, cmd.principal());
}

bool history_is_current(const task_actor_state& st) {
  return st.history && st.history->version == st.state->snapshot.version();
}

// Blocking: runs on the store pool. A failed read leaves the history stale,
// which earlier_outcome then ignores.
void read_history(task_actor_state& st, const std::string& task_id, const task_actor_deps& deps) {
  auto events = deps.history->recent_events(aggregate_type, task_id, events_searched_for_resends);
  if (!events)
    return;
  auto read = std::make_unique<history_read>();
  read->version = st.state->snapshot.version();
  for (const auto& event : *events)
    read->command_ids.push_back(event.command_id());
  st.history = std::move(read);
}

std::optional<messages::TaskReply> earlier_outcome(const task_actor_state& st, const messages::TaskCommand& cmd) {
  if (!history_is_current(st))
    return std::nullopt;
  const auto& ids = st.history->command_ids;
  if (std::find(ids.begin(), ids.end(), cmd.command_id()) != ids.end())
    return answer_for(*st.state, cmd);
  return std::nullopt;
}

messages::TaskReply read_reply(const task_state& state, const messages::TaskCommand& cmd) {
  if (!state.exists() || !is_visible_to(state.snapshot, cmd.principal()))
    return error_reply(messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No task with this id."));
  return answer_for(state, cmd);
}

messages::TaskReply pool_full() {
  return error_reply(messages::make_error(messages::ERROR_CODE_UNAVAILABLE, ports::pool_full_detail));
}

// One command on its way through the steps below. Only one command of a
// task runs at a time, so steps on different threads never race on `st`:
// each hands over to the next through the pool's or the store's queue.
struct command_run {
  std::shared_ptr<task_actor_state> st;
  std::string task_id;
  std::shared_ptr<const task_actor_deps> deps;
  messages::TaskCommand cmd;
  std::function<void(messages::TaskReply)> deliver;
  shell::completion done;
  // A create that took the task to be new without loading it.
  bool assumed = false;
  int attempt = 1;
  // The command's handling, from its turn in the actor to its answer.
  trace::span span{};
};

using run_ptr = std::shared_ptr<command_run>;

void end_with(const run_ptr& run, std::function<void()> then) {
  if (auto done = std::exchange(run->done, nullptr))
    done(std::move(then));
}

void answer(const run_ptr& run, messages::TaskReply reply) {
  shell::end_command_span(run->span, reply);
  end_with(run, [deliver = std::move(run->deliver), reply = std::move(reply)]() mutable { deliver(std::move(reply)); });
}

// An assumed state that no commit confirmed is not kept: the next command
// loads the task.
void drop_unconfirmed(const run_ptr& run, const messages::TaskReply& reply) {
  if (run->assumed && reply.has_error())
    replace_state(*run->st, std::nullopt);
}

void finish(const run_ptr& run, messages::TaskReply reply) {
  auto& st = *run->st;
  drop_unconfirmed(run, reply);
  // Unavailability is not an outcome: a retry of the same command may succeed.
  bool transient = reply.has_error() && reply.error().code() == messages::ERROR_CODE_UNAVAILABLE;
  if (!run->cmd.command_id().empty() && !transient)
    st.recent.remember(run->cmd.command_id(), reply, st.state ? &*st.state : nullptr);
  answer(run, std::move(reply));
}

// What a step throws away from the actor's thread is thrown again on it,
// where it ends the actor as any crash would.
template <class Step>
void guarded(const run_ptr& run, const Step& step) {
  try {
    step();
  } catch (...) {
    end_with(run, [failure = std::current_exception()] { std::rethrow_exception(failure); });
  }
}

// Runs a blocking step on the store pool; a full pool answers at once.
void on_pool(const run_ptr& run, std::function<void()> step) {
  auto posted = run->deps->pool->post([run, step = std::move(step)] { guarded(run, step); });
  if (!posted)
    finish(run, pool_full());
}

void refused(const run_ptr& run, messages::TaskReply reply) {
  auto& st = *run->st;
  if (!rejects_what_it_did(reply) || !might_be_resend(st, *run->deps, run->cmd))
    return finish(run, std::move(reply));
  if (history_is_current(st))
    return finish(run, earlier_outcome(st, run->cmd).value_or(std::move(reply)));
  on_pool(run, [run, reply = std::move(reply)] {
    read_history(*run->st, run->task_id, *run->deps);
    finish(run, earlier_outcome(*run->st, run->cmd).value_or(reply));
  });
}

void decide_and_commit(const run_ptr& run);

// The wheel hears of a timer that moved, and after every reminder command:
// one that found nothing due may have rung on a time the wheel kept from a
// scan that raced with the task's last commit.
// `traceparent`: the commit's, which the store now keeps with the timer;
// empty when nothing was written (the wheel keeps what it had).
void announce_timer(const run_ptr& run, std::optional<std::int64_t> before, std::optional<std::int64_t> after,
                    const std::string& traceparent) {
  const auto& tell = run->deps->on_reminder_timer;
  if (tell && (before != after || run->cmd.has_remind()))
    tell(run->task_id, after, traceparent);
}

void written(const run_ptr& run, ports::task_commit& commit, const caf::expected<void>& outcome) {
  auto& st = *run->st;
  if (outcome) {
    announce_timer(run, next_reminder_at(*st.state, run->deps->reminder_lead), commit.remind_at_ms, commit.traceparent);
    replace_state(st, std::move(commit.next));
    if (run->deps->on_committed)
      run->deps->on_committed();
    return finish(run, answer_for(*st.state, run->cmd));
  }
  if (ports::is(outcome.error(), ports::store_errc::duplicate_key)) {
    auto error =
        messages::make_error(messages::ERROR_CODE_CONFLICT, "A task with this source and external_id already exists.");
    error.set_existing_id(ports::error_detail(outcome.error()));
    return refused(run, error_reply(std::move(error)));
  }
  if (!ports::is(outcome.error(), ports::store_errc::conflict))
    return finish(run, unavailable(outcome.error()));
  if (run->attempt == max_commit_attempts)
    return refused(run, error_reply(messages::make_error(messages::ERROR_CODE_CONFLICT,
                                                         "The task is being changed concurrently; try again.")));
  ++run->attempt;
  on_pool(run, [run] {
    auto reloaded = load(run->task_id, *run->deps);
    if (!reloaded)
      return finish(run, unavailable(reloaded.error()));
    replace_state(*run->st, std::move(*reloaded));
    decide_and_commit(run);
  });
}

void decide_and_commit(const run_ptr& run) {
  auto& st = *run->st;
  const auto& cmd = run->cmd;
  const auto lead = run->deps->reminder_lead;
  auto outcome = decide(*st.state, cmd, decision_context{run->deps->now_ms(), lead});
  if (auto* error = std::get_if<messages::Error>(&outcome))
    return refused(run, error_reply(std::move(*error)));
  auto& events = std::get<std::vector<messages::EventEnvelope>>(outcome);
  if (events.empty()) {
    auto timer = next_reminder_at(*st.state, lead);
    announce_timer(run, timer, timer, {});
    return finish(run, answer_for(*st.state, cmd));
  }

  auto commit = std::make_shared<ports::task_commit>();
  commit->expected_version = st.state->snapshot.version();
  commit->next = *st.state;
  for (auto& event : events) {
    event.set_event_id(ids::new_uuid_v7());
    event.set_command_id(cmd.command_id());
    event.set_actor_id(cmd.principal().id());
    event.set_traceparent(run->span.traceparent());
    commit->next = apply(std::move(commit->next), event);
  }
  commit->events = std::move(events);
  commit->remind_at_ms = next_reminder_at(commit->next, lead);
  commit->traceparent = run->span.traceparent();
  run->deps->store->commit(
      commit, [run, commit](caf::expected<void> outcome) { guarded(run, [&] { written(run, *commit, outcome); }); });
}

void with_state(const run_ptr& run) {
  auto& st = *run->st;
  if (run->cmd.has_get())
    return answer(run, read_reply(*st.state, run->cmd));
  if (!run->cmd.command_id().empty())
    if (auto remembered = st.recent.find(run->cmd.command_id(), *st.state)) {
      // Only a refusal is remembered while the state is assumed: a success
      // would have confirmed it.
      drop_unconfirmed(run, *remembered);
      return answer(run, std::move(*remembered));
    }
  decide_and_commit(run);
}

}  // namespace

void handle_command(std::shared_ptr<task_actor_state> st, std::string task_id,
                    std::shared_ptr<const task_actor_deps> deps, messages::TaskCommand cmd,
                    std::function<void(messages::TaskReply)> deliver, shell::completion done) {
  auto run = std::make_shared<command_run>(command_run{std::move(st), std::move(task_id), std::move(deps),
                                                       std::move(cmd), std::move(deliver), std::move(done)});
  run->span = shell::command_span(aggregate_type, run->task_id, run->cmd);
  auto& state = run->st->state;
  if (state)
    return with_state(run);
  // A create names an id the edge has just made up, so the load could only
  // find nothing. Should the task exist after all (a retried request), the
  // commit's version fence refuses it and the task is loaded then.
  if (run->cmd.has_create()) {
    run->assumed = true;
    state = fresh(run->task_id);
    return with_state(run);
  }
  on_pool(run, [run] {
    auto activation = run->span.child("task activate", trace::kind::internal);
    auto loaded = load(run->task_id, *run->deps);
    if (!loaded)
      activation.fail(ports::error_detail(loaded.error()));
    activation.end();
    if (!loaded)
      return answer(run, unavailable(loaded.error()));
    run->st->state = std::move(*loaded);
    with_state(run);
  });
}

caf::behavior task_actor(task_actor_type* self, std::string task_id, std::shared_ptr<const task_actor_deps> deps) {
  self->state.id = std::move(task_id);
  shell::quit_when_idle(self, self->state.jobs);
  return {
      [self, deps](const messages::TaskCommand& cmd) -> caf::result<messages::TaskReply> {
        auto& st = self->state;
        // A read of a loaded task needs no store: answer it here unless an
        // earlier command is still running (it would see the older state).
        // Idle first: while a command runs, its step on the store pool may
        // be writing the state (a load), so not even its presence may be
        // read here (a data race ThreadSanitizer found).
        if (cmd.has_get() && st.jobs.idle() && st.data->state)
          return read_reply(*st.data->state, cmd);
        auto promise = self->make_response_promise<messages::TaskReply>();
        st.jobs.submit_async(
            self,
            [data = st.data, id = st.id, deps, cmd = cmd, promise](shell::completion done) mutable {
              handle_command(
                  std::move(data), std::move(id), std::move(deps), std::move(cmd),
                  [promise](messages::TaskReply reply) mutable { promise.deliver(std::move(reply)); }, std::move(done));
            },
            [promise](caf::error reason) mutable { promise.deliver(std::move(reason)); });
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
      [self](shell::resume& done) {
        auto& st = self->state;
        st.jobs.finished(self, done);
        // Nothing worth keeping resident: a refused create, a read of an id
        // that names no task, a deleted task. The next command loads afresh.
        if (st.jobs.idle() && !(st.data->state && st.data->state->exists()))
          self->quit();
      },
  };
}

}  // namespace taskflow::task
