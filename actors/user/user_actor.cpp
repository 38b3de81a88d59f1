#include "actors/user/user_actor.hpp"

#include "actors/shell/command_span.hpp"
#include "actors/shell/inspect_serially.hpp"
#include "actors/user/user_admin_view.hpp"
#include "actors/user/user_decider.hpp"
#include "actors/user/user_validation.hpp"
#include "messages/caf_types.hpp"
#include "messages/common/errors.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::user {
namespace {

messages::UserReply error_reply(messages::Error error) {
  messages::UserReply reply;
  *reply.mutable_error() = std::move(error);
  return reply;
}

messages::UserReply unavailable(const caf::error& cause) {
  return error_reply(messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                                          "The user store is unavailable: " + ports::error_detail(cause)));
}

caf::error load(user_actor_state& st, const std::string& user_id, const user_actor_deps& deps) {
  auto loaded = deps.store->load_user(user_id);
  if (!loaded)
    return loaded.error();
  st.state = loaded->value_or(user_state{});
  st.state->snapshot.set_id(user_id);
  return caf::none;
}

}  // namespace

namespace {

messages::UserReply decide_and_commit(user_actor_state& st, const std::string& user_id, const user_actor_deps& deps,
                                      const messages::UserCommand& cmd, const std::string& traceparent) {
  if (!st.state)
    if (auto err = load(st, user_id, deps))
      return unavailable(err);
  auto outcome = decide(*st.state, cmd, deps.now_ms());
  if (auto* error = std::get_if<messages::Error>(&outcome))
    return error_reply(std::move(*error));
  auto& events = std::get<std::vector<messages::EventEnvelope>>(outcome);
  if (!events.empty()) {
    ports::user_commit commit;
    commit.expected_version = st.state->snapshot.version();
    commit.next = *st.state;
    if (cmd.has_register_())
      commit.next.password_hash = cmd.register_().password_hash();
    for (auto& event : events) {
      event.set_event_id(ids::new_uuid_v7());
      event.set_traceparent(traceparent);
      commit.next = apply(std::move(commit.next), event);
    }
    commit.events = std::move(events);
    auto written = deps.store->commit_user(commit);
    if (!written) {
      if (ports::is(written.error(), ports::store_errc::duplicate_key))
        return error_reply(messages::make_error(messages::ERROR_CODE_CONFLICT, "This email is already registered."));
      if (ports::is(written.error(), ports::store_errc::conflict)) {
        // Someone else registered this id meanwhile: forget what we cached.
        st.state.reset();
        return error_reply(messages::make_error(messages::ERROR_CODE_CONFLICT, "A user with this id already exists."));
      }
      return unavailable(written.error());
    }
    st.state = std::move(commit.next);
    if (deps.on_committed)
      deps.on_committed();
  }
  messages::UserReply reply;
  *reply.mutable_user() = st.state->snapshot;
  return reply;
}

}  // namespace

messages::UserReply handle_command(user_actor_state& st, const std::string& user_id, const user_actor_deps& deps,
                                   const messages::UserCommand& cmd) {
  auto span = shell::command_span("user", user_id, cmd);
  auto reply = decide_and_commit(st, user_id, deps, cmd, span.traceparent());
  shell::end_command_span(span, reply);
  return reply;
}

caf::behavior user_actor(user_actor_type* self, std::string user_id, user_actor_deps deps) {
  auto& jobs = self->state.jobs;
  shell::quit_when_idle(self, jobs);
  return {
      [self, &jobs, user_id, deps](const messages::UserCommand& cmd) {
        auto promise = self->make_response_promise<messages::UserReply>();
        shell::run_serially(
            self, jobs, *deps.pool, self->state.data, promise,
            [user_id, deps, cmd](user_actor_state& st) { return handle_command(st, user_id, deps, cmd); },
            error_reply(messages::make_error(messages::ERROR_CODE_UNAVAILABLE, ports::pool_full_detail)));
        return promise;
      },
      [self, user_id, deps](const messages::InspectAggregate&) {
        return shell::inspect_serially(
            self, *deps.pool, [user_id, deps](user_actor_state& st) { return load(st, user_id, deps); },
            [](const user_state& s) { return admin_view(s); });
      },
      [self, &jobs](shell::resume& done) { jobs.finished(self, done); },
  };
}

}  // namespace taskflow::user
