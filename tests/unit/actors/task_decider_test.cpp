// decide() and apply() without an actor system: commands in, events or errors out.
#include <catch2/catch.hpp>

#include "actors/task/task_decider.hpp"

using namespace taskflow;
using messages::EventEnvelope;

namespace {

const std::string task_id = "01a20f1d-e9b0-73d9-98cf-6ca4369ab622";
const std::string owner = "01a20f1d-0000-7000-8000-000000000001";
const std::string other = "01a20f1d-0000-7000-8000-000000000002";
const std::string assignee = "01a20f1d-0000-7000-8000-000000000003";

messages::Principal principal(const std::string& id, bool admin = false) {
  messages::Principal p;
  p.set_id(id);
  p.add_roles(admin ? "admin" : "user");
  return p;
}

messages::TaskCommand command(const std::string& who = owner) {
  messages::TaskCommand cmd;
  cmd.set_task_id(task_id);
  *cmd.mutable_principal() = principal(who);
  return cmd;
}

std::vector<EventEnvelope> events_of(const task::decision& d) {
  if (auto* e = std::get_if<messages::Error>(&d))
    FAIL("expected events, got error " << e->detail());
  return std::get<std::vector<EventEnvelope>>(d);
}

messages::ErrorCode error_of(const task::decision& d) {
  REQUIRE(std::holds_alternative<messages::Error>(d));
  return std::get<messages::Error>(d).code();
}

task::task_state fold(task::task_state state, const std::vector<EventEnvelope>& events) {
  for (const auto& e : events)
    state = task::apply(std::move(state), e);
  return state;
}

task::task_state created(std::int64_t now = 1000) {
  auto cmd = command();
  cmd.mutable_create()->set_title("Write tests");
  cmd.mutable_create()->add_assignees(assignee);
  return fold({}, events_of(task::decide({}, cmd, {now})));
}

task::decision update(const task::task_state& state, std::function<void(messages::UpdateTask&)> edit,
                      const std::string& who = owner) {
  auto cmd = command(who);
  edit(*cmd.mutable_update());
  return task::decide(state, cmd, {2000});
}

}  // namespace

TEST_CASE("create yields TaskCreated with defaults, version 1, owner and timestamps", "[decider]") {
  auto state = created(1234);
  REQUIRE(state.exists());
  const auto& t = state.snapshot;
  CHECK(t.id() == task_id);
  CHECK(t.status() == messages::TASK_STATUS_TODO);
  CHECK(t.priority() == 2);
  CHECK(t.owner_id() == owner);
  CHECK(t.version() == 1);
  CHECK(t.created_at_ms() == 1234);
  CHECK(t.updated_at_ms() == 1234);
}

TEST_CASE("create with invalid fields lists every problem", "[decider]") {
  auto cmd = command();
  cmd.mutable_create()->set_title("");
  cmd.mutable_create()->set_priority(7);
  auto d = task::decide({}, cmd, {1});
  REQUIRE(error_of(d) == messages::ERROR_CODE_VALIDATION);
  CHECK(std::get<messages::Error>(d).field_errors_size() == 2);
}

TEST_CASE("create on an existing id conflicts", "[decider]") {
  auto cmd = command();
  cmd.mutable_create()->set_title("again");
  CHECK(error_of(task::decide(created(), cmd, {1})) == messages::ERROR_CODE_CONFLICT);
}

TEST_CASE("one update is one version, shared by its events", "[decider]") {
  auto state = created();
  auto events = events_of(update(state, [](auto& u) {
    u.set_title("Renamed");
    u.set_status(messages::TASK_STATUS_IN_PROGRESS);
  }));
  REQUIRE(events.size() == 2);
  CHECK(events[0].has_task_updated());
  CHECK(events[1].has_task_status_changed());
  CHECK(events[0].version() == 2);
  CHECK(events[1].version() == 2);
  auto next = fold(state, events);
  CHECK(next.snapshot.title() == "Renamed");
  CHECK(next.snapshot.status() == messages::TASK_STATUS_IN_PROGRESS);
  CHECK(next.snapshot.version() == 2);
  CHECK(next.snapshot.status_changed_at_ms() == 2000);
}

TEST_CASE("an update that changes nothing emits nothing", "[decider]") {
  auto state = created();
  CHECK(events_of(update(state, [](auto& u) { u.set_title("Write tests"); })).empty());
  CHECK(events_of(update(state, [](auto& u) { u.set_status(messages::TASK_STATUS_TODO); })).empty());
}

TEST_CASE("a forbidden status move is an invalid transition", "[decider]") {
  auto d = update(created(), [](auto& u) { u.set_status(messages::TASK_STATUS_DONE); });
  CHECK(error_of(d) == messages::ERROR_CODE_INVALID_TRANSITION);
}

TEST_CASE("If-Match: a stale expected version is a mismatch", "[decider]") {
  auto state = created();
  auto cmd = command();
  cmd.set_expected_version(7);
  cmd.mutable_update()->set_title("x");
  CHECK(error_of(task::decide(state, cmd, {1})) == messages::ERROR_CODE_VERSION_MISMATCH);
  cmd.set_expected_version(1);
  CHECK(events_of(task::decide(state, cmd, {1})).size() == 1);
}

TEST_CASE("visibility: owner, assignee and admins see the task, others get not-found", "[decider]") {
  auto state = created();
  CHECK(task::is_visible_to(state.snapshot, principal(owner)));
  CHECK(task::is_visible_to(state.snapshot, principal(assignee)));
  CHECK(task::is_visible_to(state.snapshot, principal(other, true)));
  CHECK_FALSE(task::is_visible_to(state.snapshot, principal(other)));
  CHECK(error_of(update(
            state, [](auto& u) { u.set_title("x"); }, other)) == messages::ERROR_CODE_NOT_FOUND);
}

TEST_CASE("only owner or admin may delete, an assignee is forbidden", "[decider]") {
  auto state = created();
  auto del = [&](const std::string& who, bool admin) {
    auto cmd = command(who);
    *cmd.mutable_principal() = principal(who, admin);
    cmd.mutable_delete_task();
    return task::decide(state, cmd, {3000});
  };
  CHECK(error_of(del(assignee, false)) == messages::ERROR_CODE_FORBIDDEN);
  CHECK(error_of(del(other, false)) == messages::ERROR_CODE_NOT_FOUND);
  CHECK(events_of(del(other, true)).size() == 1);
  auto gone = fold(state, events_of(del(owner, false)));
  CHECK_FALSE(gone.exists());
  CHECK(gone.deleted);
  CHECK(gone.snapshot.version() == 2);
}

TEST_CASE("a deleted task is not found for every command", "[decider]") {
  auto state = created();
  auto cmd = command();
  cmd.mutable_delete_task();
  auto gone = fold(state, events_of(task::decide(state, cmd, {1})));
  CHECK(error_of(update(gone, [](auto& u) { u.set_title("x"); })) == messages::ERROR_CODE_NOT_FOUND);
  CHECK(error_of(task::decide(gone, cmd, {1})) == messages::ERROR_CODE_NOT_FOUND);
}

TEST_CASE("assignees, tags and due date can be replaced and cleared", "[decider]") {
  auto state = created();
  state = fold(state, events_of(update(state, [](auto& u) {
                 u.set_replace_assignees(true);
                 u.set_due_at_ms(5000);
                 u.set_replace_tags(true);
                 u.add_tags("backend");
               })));
  CHECK(state.snapshot.assignees_size() == 0);
  CHECK(state.snapshot.due_at_ms() == 5000);
  CHECK(state.snapshot.tags_size() == 1);
  state = fold(state, events_of(update(state, [](auto& u) { u.set_clear_due_at(true); })));
  CHECK_FALSE(state.snapshot.has_due_at_ms());
  CHECK(state.snapshot.version() == 3);
}

TEST_CASE("an update of the assignees says who was assigned before", "[decider]") {
  auto state = created();
  auto before = std::vector<std::string>{state.snapshot.assignees().begin(), state.snapshot.assignees().end()};
  REQUIRE_FALSE(before.empty());
  auto events = events_of(update(state, [](auto& u) {
    u.set_replace_assignees(true);
    u.add_assignees("01a20f1d-0000-7000-8000-0000000000bb");
  }));
  REQUIRE(events.size() == 1);
  const auto& updated = events[0].task_updated();
  CHECK(std::vector<std::string>{updated.assignees_before().begin(), updated.assignees_before().end()} == before);

  auto retitled = events_of(update(state, [](auto& u) { u.set_title("Only the title"); }));
  REQUIRE(retitled.size() == 1);
  CHECK(retitled[0].task_updated().assignees_before_size() == 0);
}
