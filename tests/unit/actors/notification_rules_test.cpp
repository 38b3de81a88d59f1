// The notification rules without an actor system: task events and fired
// reminders in, notifications out.
#include <catch2/catch.hpp>

#include <set>

#include "actors/notification/notification_rules.hpp"
#include "messages/ids/uuid.hpp"

using namespace taskflow;
using messages::EventEnvelope;
using notification::reminder_kind;

namespace {

const std::string task_id = "01a20f1d-e9b0-73d9-98cf-6ca4369ab622";
const std::string event_id = "01a20f1d-e9b0-7000-8000-00000000e001";
const std::string owner = "01a20f1d-0000-7000-8000-000000000001";
const std::string ann = "01a20f1d-0000-7000-8000-000000000002";
const std::string bob = "01a20f1d-0000-7000-8000-000000000003";
constexpr std::int64_t hour = 3'600'000;

messages::TaskSnapshot task(std::vector<std::string> assignees = {ann, bob}) {
  messages::TaskSnapshot t;
  t.set_id(task_id);
  t.set_title("Ship it");
  t.set_status(messages::TASK_STATUS_IN_PROGRESS);
  t.set_owner_id(owner);
  for (auto& a : assignees)
    t.add_assignees(a);
  return t;
}

EventEnvelope envelope(const std::string& id = event_id) {
  EventEnvelope e;
  e.set_event_id(id);
  e.set_aggregate_type("task");
  e.set_aggregate_id(task_id);
  e.set_occurred_at_ms(5000);
  return e;
}

EventEnvelope created(std::vector<std::string> assignees = {ann, bob}) {
  auto e = envelope();
  *e.mutable_task_created()->mutable_task() = task(std::move(assignees));
  return e;
}

EventEnvelope updated(std::vector<std::string> assignees, std::vector<std::string> changed = {"assignees"}) {
  auto e = envelope();
  *e.mutable_task_updated()->mutable_task() = task(std::move(assignees));
  for (auto& field : changed)
    e.mutable_task_updated()->add_changed_fields(field);
  return e;
}

EventEnvelope status_changed(const std::string& id = event_id) {
  auto e = envelope(id);
  auto* moved = e.mutable_task_status_changed();
  moved->set_from(messages::TASK_STATUS_IN_PROGRESS);
  moved->set_to(messages::TASK_STATUS_DONE);
  *moved->mutable_task() = task();
  moved->mutable_task()->set_status(messages::TASK_STATUS_DONE);
  return e;
}

std::vector<std::string> recipients(const notification::notifications& made) {
  std::vector<std::string> who;
  for (const auto& n : made)
    who.push_back(n.recipient_id());
  return who;
}

std::vector<std::string> ids_of(const notification::notifications& made) {
  std::vector<std::string> ids;
  for (const auto& n : made)
    ids.push_back(n.id());
  return ids;
}

messages::TaskSnapshot due_at(std::int64_t due) {
  auto t = task();
  t.set_due_at_ms(due);
  return t;
}

// The event as the task actor sends it: whose command it was and, for an
// update, who was assigned before.
EventEnvelope by(EventEnvelope event, const std::string& actor_id, const std::vector<std::string>& before = {}) {
  event.set_actor_id(actor_id);
  if (event.has_task_updated())
    for (const auto& assignee : before)
      event.mutable_task_updated()->add_assignees_before(assignee);
  return event;
}

}  // namespace

TEST_CASE("a created task notifies each assignee but the creator", "[notification]") {
  auto made = notification::notifications_for_event(by(created({ann, owner}), owner));
  REQUIRE(made.size() == 1);
  const auto& n = made[0];
  CHECK(n.recipient_id() == ann);
  CHECK(n.type() == "task.assigned");
  CHECK(n.task_id() == task_id);
  CHECK(n.message() == "You were assigned to \"Ship it\"");
  CHECK(n.created_at_ms() == 5000);
  CHECK(ids::is_uuid(n.id()));
}

TEST_CASE("a created task without assignees notifies nobody", "[notification]") {
  CHECK(notification::notifications_for_event(by(created({}), owner)).empty());
}

TEST_CASE("an update notifies only the assignees it added", "[notification]") {
  std::vector<std::string> before{ann};
  auto made = notification::notifications_for_event(by(updated({ann, bob}), owner, before));
  CHECK(recipients(made) == std::vector<std::string>{bob});
  CHECK(made[0].type() == "task.assigned");

  SECTION("removing an assignee notifies nobody") {
    CHECK(notification::notifications_for_event(by(updated({}), owner, before)).empty());
  }
  SECTION("assigning oneself notifies nobody") {
    CHECK(notification::notifications_for_event(by(updated({ann, bob}), bob, before)).empty());
  }
}

TEST_CASE("an update that leaves the assignees alone notifies nobody", "[notification]") {
  // Even a caller that cannot say who was assigned before causes no notification.
  CHECK(notification::notifications_for_event(by(updated({ann, bob}, {"title"}), owner)).empty());
}

TEST_CASE("a status change notifies owner and assignees but the one who made it", "[notification]") {
  auto made = notification::notifications_for_event(by(status_changed(), ann));
  CHECK(recipients(made) == std::vector<std::string>{owner, bob});
  for (const auto& n : made) {
    CHECK(n.type() == "task.status_changed");
    CHECK(n.message() == "\"Ship it\" moved from in_progress to done");
    CHECK(n.created_at_ms() == 5000);
  }

  SECTION("an owner who is also an assignee hears once") {
    auto e = status_changed();
    e.mutable_task_status_changed()->mutable_task()->add_assignees(owner);
    CHECK(recipients(notification::notifications_for_event(by(e, ann))) == std::vector<std::string>{owner, bob});
  }
  SECTION("an unknown actor leaves nobody out") {
    CHECK(recipients(notification::notifications_for_event(status_changed())) ==
          std::vector<std::string>{owner, ann, bob});
  }
}

TEST_CASE("deletions and other aggregates' events notify nobody", "[notification]") {
  auto deleted = envelope();
  deleted.mutable_task_deleted()->set_owner_id(owner);
  CHECK(notification::notifications_for_event(by(deleted, ann)).empty());
  auto registered = envelope();
  registered.set_aggregate_type("user");
  registered.mutable_user_registered();
  CHECK(notification::notifications_for_event(registered).empty());
}

TEST_CASE("a redelivered event yields the same notification ids", "[notification]") {
  auto first = ids_of(notification::notifications_for_event(by(status_changed(), owner)));
  auto again = ids_of(notification::notifications_for_event(by(status_changed(), owner)));
  CHECK(first == again);
  REQUIRE(first.size() == 2);
  CHECK(first[0] != first[1]);
  CHECK(first[0][14] == '5');  // name-based

  auto other_event =
      ids_of(notification::notifications_for_event(by(status_changed("01a20f1d-e9b0-7000-8000-00000000e002"), owner)));
  CHECK(std::set<std::string>(other_event.begin(), other_event.end()).count(first[0]) == 0);
  // The same event and recipient under another type is another notification.
  auto assigned = notification::notifications_for_event(by(created({ann}), owner));
  CHECK(assigned[0].id() != first[0]);
}

TEST_CASE("a fired reminder notifies owner and assignees", "[notification][reminder]") {
  auto due = 10 * hour;
  auto soon = notification::notifications_for_reminder(due_at(due), {reminder_kind::due_soon, due}, due - hour + 7);
  CHECK(recipients(soon) == std::vector<std::string>{owner, ann, bob});
  CHECK(soon[0].type() == "task.due_soon");
  CHECK(soon[0].message() == "\"Ship it\" is due soon");
  CHECK(soon[0].created_at_ms() == due - hour + 7);
  CHECK(soon[0].task_id() == task_id);

  auto late = notification::notifications_for_reminder(due_at(due), {reminder_kind::overdue, due}, due + 5);
  CHECK(recipients(late) == std::vector<std::string>{owner, ann, bob});
  CHECK(late[0].type() == "task.overdue");
  CHECK(late[0].message() == "\"Ship it\" is overdue");
}

TEST_CASE("a reminder fired twice yields the same ids; one for a new due date does not", "[notification][reminder]") {
  auto due = 10 * hour;
  notification::reminder fired{reminder_kind::overdue, due};
  auto first = ids_of(notification::notifications_for_reminder(due_at(due), fired, due));
  CHECK(first == ids_of(notification::notifications_for_reminder(due_at(due), fired, due + hour)));
  auto moved =
      ids_of(notification::notifications_for_reminder(due_at(due + 1), {reminder_kind::overdue, due + 1}, due + 1));
  CHECK(moved[0] != first[0]);
  auto soon = ids_of(notification::notifications_for_reminder(due_at(due), {reminder_kind::due_soon, due}, due - hour));
  CHECK(soon[0] != first[0]);
}

TEST_CASE("a stale or late reminder notifies nobody", "[notification][reminder]") {
  auto due = 10 * hour;
  notification::reminder overdue{reminder_kind::overdue, due};
  SECTION("the task closed") {
    auto done = due_at(due);
    done.set_status(messages::TASK_STATUS_DONE);
    CHECK(notification::notifications_for_reminder(done, overdue, due).empty());
  }
  SECTION("the due date moved") {
    CHECK(notification::notifications_for_reminder(due_at(due + hour), overdue, due).empty());
  }
  SECTION("the due date was cleared") {
    CHECK(notification::notifications_for_reminder(task(), overdue, due).empty());
  }
  SECTION("due_soon fired once the task was already due") {
    notification::reminder soon{reminder_kind::due_soon, due};
    CHECK(notification::notifications_for_reminder(due_at(due), soon, due).empty());
  }
}

namespace {

EventEnvelope reminder_due(messages::ReminderKind kind, std::int64_t due, std::int64_t at,
                           const std::string& id = event_id) {
  auto e = envelope(id);
  e.set_occurred_at_ms(at);
  auto* reminded = e.mutable_task_reminder_due();
  reminded->set_kind(kind);
  reminded->set_due_at_ms(due);
  *reminded->mutable_task() = due_at(due);
  return e;
}

}  // namespace

TEST_CASE("a committed reminder tells owner and assignees, leaving nobody out", "[notification][reminder]") {
  auto due = 10 * hour;
  auto overdue = notification::notifications_for_event(reminder_due(messages::REMINDER_KIND_OVERDUE, due, due + 5));
  CHECK(recipients(overdue) == std::vector<std::string>{owner, ann, bob});
  CHECK(overdue[0].type() == "task.overdue");
  CHECK(overdue[0].created_at_ms() == due + 5);
  auto soon = notification::notifications_for_event(reminder_due(messages::REMINDER_KIND_DUE_SOON, due, due - hour));
  CHECK(recipients(soon) == std::vector<std::string>{owner, ann, bob});
  CHECK(soon[0].type() == "task.due_soon");
}

TEST_CASE("two events of one reminder make the same notifications", "[notification][reminder]") {
  // Should a reminder ever be committed twice (it should not), the feed still gets it once.
  auto due = 10 * hour;
  auto first = ids_of(notification::notifications_for_event(
      reminder_due(messages::REMINDER_KIND_OVERDUE, due, due, "01a20f1d-e9b0-7000-8000-00000000e001")));
  auto second = ids_of(notification::notifications_for_event(
      reminder_due(messages::REMINDER_KIND_OVERDUE, due, due + 9, "01a20f1d-e9b0-7000-8000-00000000e002")));
  CHECK(first == second);
}

TEST_CASE("a reminder event of no known kind tells nobody", "[notification][reminder]") {
  CHECK(notification::notifications_for_event(reminder_due(messages::REMINDER_KIND_UNSPECIFIED, hour, hour)).empty());
}
