// A task's reminders without an actor system: when its timer rings next, and
// what decide() commits when it rings, early, late, twice or after the task
// moved on.
#include <catch2/catch.hpp>

#include "actors/task/task_decider.hpp"
#include "actors/task/task_reminders.hpp"
#include "messages/task/client_version.hpp"

using namespace taskflow;
using namespace std::chrono_literals;
using messages::EventEnvelope;

namespace {

const std::string task_id = "01a20f1d-e9b0-73d9-98cf-6ca4369ab622";
const std::string owner = "01a20f1d-0000-7000-8000-000000000001";
constexpr std::int64_t hour = 3'600'000;
constexpr std::int64_t due = 100 * hour;

task::task_state due_task(std::int64_t due_at = due) {
  task::task_state s;
  s.snapshot.set_id(task_id);
  s.snapshot.set_owner_id(owner);
  s.snapshot.set_title("Ship it");
  s.snapshot.set_status(messages::TASK_STATUS_TODO);
  s.snapshot.set_version(3);
  s.snapshot.set_updated_at_ms(500);
  s.snapshot.set_due_at_ms(due_at);
  return s;
}

messages::TaskCommand remind() {
  messages::TaskCommand cmd;
  cmd.set_task_id(task_id);
  cmd.mutable_remind();
  return cmd;
}

std::vector<EventEnvelope> ring(const task::task_state& state, std::int64_t now,
                                std::chrono::milliseconds lead = task::default_reminder_lead) {
  auto decided = task::decide(state, remind(), {now, lead});
  REQUIRE(std::holds_alternative<std::vector<EventEnvelope>>(decided));
  return std::get<std::vector<EventEnvelope>>(decided);
}

task::task_state after(task::task_state state, const std::vector<EventEnvelope>& events) {
  for (const auto& e : events)
    state = task::apply(std::move(state), e);
  return state;
}

}  // namespace

TEST_CASE("the timer rings a lead before the due date, then at it, then never", "[reminder]") {
  auto state = due_task();
  CHECK(task::next_reminder_at(state, 1h) == due - hour);
  CHECK(task::next_reminder_at(state, 15min) == due - 15 * 60'000);
  CHECK(task::next_reminder_at(state, 0ms) == due);

  auto soon = ring(state, due - hour);
  REQUIRE(soon.size() == 1);
  state = after(state, soon);
  CHECK(task::next_reminder_at(state, 1h) == due);

  auto overdue = ring(state, due);
  REQUIRE(overdue.size() == 1);
  state = after(state, overdue);
  CHECK_FALSE(task::next_reminder_at(state, 1h));
}

TEST_CASE("a reminder is one event of its own version that leaves the task as it was", "[reminder]") {
  auto state = due_task();
  auto events = ring(state, due - hour + 5);
  REQUIRE(events.size() == 1);
  const auto& e = events[0];
  REQUIRE(e.has_task_reminder_due());
  CHECK(e.aggregate_type() == "task");
  CHECK(e.aggregate_id() == task_id);
  CHECK(e.version() == 4);
  CHECK(e.occurred_at_ms() == due - hour + 5);
  CHECK(e.task_reminder_due().kind() == messages::REMINDER_KIND_DUE_SOON);
  CHECK(e.task_reminder_due().due_at_ms() == due);
  CHECK(e.task_reminder_due().task().version() == 4);
  CHECK(e.task_reminder_due().task().updated_at_ms() == 500);
  auto next = after(state, events);
  CHECK(next.snapshot.version() == 4);
  CHECK(next.snapshot.title() == "Ship it");
  CHECK(next.reminded == task::reminder_mark{messages::REMINDER_KIND_DUE_SOON, due});
}

TEST_CASE("a reminder leaves the version clients see, so an ETag they hold still matches", "[reminder]") {
  auto state = after(due_task(), ring(due_task(), due - hour + 5));
  CHECK(state.snapshot.version() == 4);
  CHECK(messages::client_version(state.snapshot) == 3);

  messages::TaskCommand rename;
  rename.set_task_id(task_id);
  rename.mutable_principal()->set_id(owner);
  rename.set_expected_version(3);
  rename.mutable_update()->set_title("Ship it today");
  auto decided = task::decide(state, rename, {due - hour + 10, task::default_reminder_lead});
  REQUIRE(std::holds_alternative<std::vector<EventEnvelope>>(decided));
  auto renamed = after(state, std::get<std::vector<EventEnvelope>>(decided));
  CHECK(renamed.snapshot.version() == 5);
  CHECK(messages::client_version(renamed.snapshot) == 5);

  rename.set_expected_version(4);
  auto stale = task::decide(state, rename, {due - hour + 10, task::default_reminder_lead});
  REQUIRE(std::holds_alternative<messages::Error>(stale));
  CHECK(std::get<messages::Error>(stale).code() == messages::ERROR_CODE_VERSION_MISMATCH);
}

TEST_CASE("a timer that rings twice commits once", "[reminder]") {
  auto state = after(due_task(), ring(due_task(), due + 1));
  CHECK(state.reminded.kind == messages::REMINDER_KIND_OVERDUE);
  CHECK(ring(state, due + 2).empty());
  CHECK(ring(state, due + 10 * hour).empty());

  auto soon = after(due_task(), ring(due_task(), due - 10));
  CHECK(ring(soon, due - 5).empty());
}

TEST_CASE("a timer that rings early finds nothing due", "[reminder]") {
  CHECK(ring(due_task(), due - hour - 1).empty());
  auto soon = after(due_task(), ring(due_task(), due - hour));
  CHECK(ring(soon, due - 1).empty());
}

TEST_CASE("after downtime a backlog tells only that the task is overdue", "[reminder]") {
  // Neither reminder was sent: the due_soon that is too late now is skipped.
  auto events = ring(due_task(), due + 5 * hour);
  REQUIRE(events.size() == 1);
  CHECK(events[0].task_reminder_due().kind() == messages::REMINDER_KIND_OVERDUE);
  auto state = after(due_task(), events);
  CHECK_FALSE(task::next_reminder_at(state, 1h));
  CHECK(ring(state, due + 6 * hour).empty());
}

TEST_CASE("a moved due date starts its reminders afresh", "[reminder]") {
  auto told = after(due_task(), ring(due_task(), due));
  REQUIRE_FALSE(task::next_reminder_at(told, 1h));
  auto moved = told;
  moved.snapshot.set_due_at_ms(due + 10 * hour);
  CHECK(task::next_reminder_at(moved, 1h) == due + 9 * hour);
  // The old timer ringing now is early for the new date.
  CHECK(ring(moved, due + 1).empty());
  auto soon = ring(moved, due + 9 * hour);
  REQUIRE(soon.size() == 1);
  CHECK(soon[0].task_reminder_due().due_at_ms() == due + 10 * hour);
}

TEST_CASE("a due date set within the lead rings at once with due_soon", "[reminder]") {
  auto state = due_task();
  auto now = due - 10 * 60'000;
  CHECK(task::next_reminder_at(state, 1h) < now);
  auto events = ring(state, now);
  REQUIRE(events.size() == 1);
  CHECK(events[0].task_reminder_due().kind() == messages::REMINDER_KIND_DUE_SOON);
}

TEST_CASE("a lead of zero tells only overdue", "[reminder]") {
  CHECK(ring(due_task(), due - 1, 0ms).empty());
  auto events = ring(due_task(), due, 0ms);
  REQUIRE(events.size() == 1);
  CHECK(events[0].task_reminder_due().kind() == messages::REMINDER_KIND_OVERDUE);
}

TEST_CASE("closed, deleted, undated and unknown tasks have no timer and tell nothing", "[reminder]") {
  auto done = due_task();
  done.snapshot.set_status(messages::TASK_STATUS_DONE);
  auto cancelled = due_task();
  cancelled.snapshot.set_status(messages::TASK_STATUS_CANCELLED);
  auto deleted = due_task();
  deleted.deleted = true;
  auto undated = due_task();
  undated.snapshot.clear_due_at_ms();
  for (const auto& state : {done, cancelled, deleted, undated, task::task_state{}}) {
    CHECK_FALSE(task::next_reminder_at(state, 1h));
    CHECK(ring(state, due + hour).empty());
  }
}

TEST_CASE("a reminder needs no principal: the task's own timer sends it", "[reminder]") {
  // remind() carries no principal, and the task is not visible to an empty one.
  CHECK(ring(due_task(), due).size() == 1);
}
