#include "actors/session/session_actor.hpp"

#include <chrono>

#include <caf/atom.hpp>
#include <caf/exit_reason.hpp>

#include "actors/session/session_admin_view.hpp"
#include "actors/session/session_decider.hpp"
#include "actors/shell/command_span.hpp"
#include "actors/shell/inspect_serially.hpp"
#include "messages/caf_types.hpp"
#include "messages/common/errors.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::session {
namespace {

using expire_atom = caf::atom_constant<caf::atom("expire")>;

// A concurrent refresh on another activation (during a rebalance) can win the
// commit; deciding again on fresh state is then the right answer.
constexpr int max_commit_attempts = 2;

messages::SessionReply error_reply(messages::Error error) {
  messages::SessionReply reply;
  *reply.mutable_error() = std::move(error);
  return reply;
}

messages::SessionReply unavailable(const caf::error& cause) {
  return error_reply(messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                                          "The session store is unavailable: " + ports::error_detail(cause)));
}

caf::error load(session_actor_state& st, const std::string& session_id, const session_actor_deps& deps) {
  auto loaded = deps.store->load_session(session_id);
  if (!loaded)
    return loaded.error();
  st.state = loaded->value_or(session_state{});
  st.state->snapshot.set_id(session_id);
  return caf::none;
}

}  // namespace

namespace {

messages::SessionReply decide_and_commit(session_actor_state& st, const std::string& session_id,
                                         const session_actor_deps& deps, const messages::SessionCommand& cmd,
                                         const std::string& traceparent) {
  if (!st.state)
    if (auto err = load(st, session_id, deps))
      return unavailable(err);
  for (int attempt = 1;; ++attempt) {
    auto outcome = decide(*st.state, cmd, deps.now_ms());
    if (!outcome.events.empty()) {
      ports::session_commit commit;
      commit.expected_version = st.state->snapshot.version();
      for (auto& event : outcome.events) {
        event.set_event_id(ids::new_uuid_v7());
        event.set_traceparent(traceparent);
      }
      commit.next = evolve(*st.state, cmd, outcome.events);
      commit.events = std::move(outcome.events);
      auto written = deps.store->commit_session(commit);
      if (!written) {
        if (!ports::is(written.error(), ports::store_errc::conflict))
          return unavailable(written.error());
        if (attempt == max_commit_attempts)
          return error_reply(
              messages::make_error(messages::ERROR_CODE_CONFLICT, "The session is being changed concurrently."));
        if (auto err = load(st, session_id, deps))
          return unavailable(err);
        continue;
      }
      st.state = std::move(commit.next);
      if (deps.on_committed)
        deps.on_committed();
    }
    if (outcome.error) {
      auto reply = error_reply(std::move(*outcome.error));
      if (st.state->snapshot.revoked())
        *reply.mutable_revoked() = st.state->snapshot;
      return reply;
    }
    messages::SessionReply reply;
    *reply.mutable_session() = st.state->snapshot;
    return reply;
  }
}

}  // namespace

messages::SessionReply handle_command(session_actor_state& st, const std::string& session_id,
                                      const session_actor_deps& deps, const messages::SessionCommand& cmd) {
  auto span = shell::command_span("session", session_id, cmd);
  auto reply = decide_and_commit(st, session_id, deps, cmd, span.traceparent());
  shell::end_command_span(span, reply);
  return reply;
}

caf::behavior session_actor(session_actor_type* self, std::string session_id, session_actor_deps deps) {
  auto& jobs = self->state.jobs;
  shell::quit_when_idle(self, jobs);
  // Ends the actor once the session can no longer be used; checked whenever
  // no command is running (the state is the running job's until then) and
  // when the expiry timer fires.
  auto stop_if_over = [self, &jobs, deps] {
    auto& st = *self->state.data;
    if (!jobs.idle() || !st.state || !st.state->exists())
      return;
    auto now = deps.now_ms();
    if (!st.state->active_at(now)) {
      self->quit(caf::exit_reason::user_shutdown);
      return;
    }
    if (!self->state.expiry_scheduled) {
      self->state.expiry_scheduled = true;
      self->delayed_send(self, std::chrono::milliseconds{st.state->snapshot.expires_at_ms() - now}, expire_atom::value);
    }
  };
  auto overloaded = error_reply(messages::make_error(messages::ERROR_CODE_UNAVAILABLE, ports::pool_full_detail));
  return {
      [self, &jobs, session_id, deps, overloaded](const messages::SessionCommand& cmd) {
        auto promise = self->make_response_promise<messages::SessionReply>();
        shell::run_serially(
            self, jobs, *deps.pool, self->state.data, promise,
            [session_id, deps, cmd](session_actor_state& st) { return handle_command(st, session_id, deps, cmd); },
            overloaded);
        return promise;
      },
      [stop_if_over](expire_atom) { stop_if_over(); },
      [self, session_id, deps](const messages::InspectAggregate&) {
        return shell::inspect_serially(
            self, *deps.pool, [session_id, deps](session_actor_state& st) { return load(st, session_id, deps); },
            [](const session_state& s) { return admin_view(s); });
      },
      [self, &jobs, stop_if_over](shell::resume& done) {
        jobs.finished(self, done);
        stop_if_over();
      },
  };
}

}  // namespace taskflow::session
