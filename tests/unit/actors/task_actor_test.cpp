// The task actor's shell rules (load, decide, commit, retry, remember) driven
// through handle_command against an in-memory store, and what an activation
// keeps resident.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

#include <caf/scoped_actor.hpp>

#include "actors/task/task_actor.hpp"
#include "tests/unit/support/inline_executor.hpp"
#include "tests/unit/support/memory_task_store.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

const std::string task_id = "01a20f1d-e9b0-73d9-98cf-6ca4369ab622";
const std::string owner = "01a20f1d-0000-7000-8000-000000000001";

struct fixture {
  std::shared_ptr<testing::memory_task_store> store = std::make_shared<testing::memory_task_store>();
  testing::inline_executor pool;
  int nudges = 0;
  std::shared_ptr<task::task_actor_deps> deps = std::make_shared<task::task_actor_deps>(
      task::task_actor_deps{store, &pool, [] { return std::int64_t{1000}; }, [this] { ++nudges; }, nullptr});
  std::shared_ptr<task::task_actor_state> st = std::make_shared<task::task_actor_state>();

  // The in-memory store answers a commit before returning and the pool runs
  // each step at once, so a command has finished when handle_command returns.
  messages::TaskReply run_on(const std::shared_ptr<task::task_actor_state>& activation,
                             const messages::TaskCommand& cmd) {
    std::optional<messages::TaskReply> reply;
    task::handle_command(
        activation, task_id, deps, cmd, [&reply](messages::TaskReply r) { reply = std::move(r); },
        [](std::function<void()> then) { then(); });
    REQUIRE(reply);
    return *reply;
  }
  messages::TaskReply run(const messages::TaskCommand& cmd) { return run_on(st, cmd); }
};

messages::TaskCommand base(std::string command_id = {}) {
  messages::TaskCommand cmd;
  cmd.set_task_id(task_id);
  cmd.set_command_id(std::move(command_id));
  cmd.mutable_principal()->set_id(owner);
  return cmd;
}

messages::TaskCommand create(std::string command_id = {}) {
  auto cmd = base(std::move(command_id));
  cmd.mutable_create()->set_title("Ship it");
  return cmd;
}

messages::TaskCommand retitle(std::string title, std::string command_id = {}) {
  auto cmd = base(std::move(command_id));
  cmd.mutable_update()->set_title(std::move(title));
  return cmd;
}

// A retitle under If-Match: only at `version` may it apply.
messages::TaskCommand retitle_at(std::int64_t version, std::string title, std::string command_id) {
  auto cmd = retitle(std::move(title), std::move(command_id));
  cmd.set_expected_version(version);
  return cmd;
}

}  // namespace

TEST_CASE("a command commits state, events and nudges the relay", "[task_actor]") {
  fixture f;
  auto reply = f.run(create());
  REQUIRE(reply.has_task());
  CHECK(reply.task().version() == 1);
  CHECK(f.store->commits == 1);
  REQUIRE(f.store->events.size() == 1);
  CHECK(f.store->events[0].event_id().size() == 36);
  // Whose command it was travels with the event, for consumers that must
  // not tell people about their own changes.
  CHECK(f.store->events[0].actor_id() == owner);
  CHECK(f.nudges == 1);
}

TEST_CASE("a create does not load its new id, and other commands load once per activation", "[task_actor]") {
  fixture f;
  f.run(create());
  f.run(retitle("a"));
  CHECK(f.store->loads == 0);
  auto reactivated = std::make_shared<task::task_actor_state>();
  f.run_on(reactivated, retitle("b"));
  f.run_on(reactivated, retitle("c"));
  CHECK(f.store->loads == 1);
  CHECK(f.store->commits == 4);
}

TEST_CASE("a create that could not commit leaves no guess behind", "[task_actor]") {
  fixture f;
  f.run(create("idem-1"));
  auto next_owner = std::make_shared<task::task_actor_state>();
  f.store->fail_commits = 1;
  auto failed = f.run_on(next_owner, create("idem-1"));
  REQUIRE(failed.has_error());
  CHECK(failed.error().code() == messages::ERROR_CODE_UNAVAILABLE);
  // The task exists: a read loads it instead of trusting the guess.
  auto get = base();
  get.mutable_get();
  auto read = f.run_on(next_owner, get);
  REQUIRE(read.has_task());
  CHECK(read.task().version() == 1);
}

TEST_CASE("a retried command id gets the first outcome without running twice", "[task_actor]") {
  fixture f;
  f.run(create("c-1"));
  auto first = f.run(retitle("once", "c-2"));
  auto again = f.run(retitle("once", "c-2"));
  CHECK(first.SerializeAsString() == again.SerializeAsString());
  CHECK(f.store->commits == 2);
}

TEST_CASE("losing a commit race reloads and decides again on the fresh state", "[task_actor]") {
  fixture f;
  f.run(create());
  // Another activation of the same task writes version 2 behind our back.
  auto theirs = *f.store->load_task(task_id).value();
  theirs.snapshot.set_description("written elsewhere");
  theirs.snapshot.set_version(2);
  f.store->force(theirs);

  auto reply = f.run(retitle("mine"));
  REQUIRE(reply.has_task());
  CHECK(reply.task().version() == 3);
  CHECK(reply.task().title() == "mine");
  CHECK(reply.task().description() == "written elsewhere");
}

TEST_CASE("a commit race under If-Match answers precondition failed", "[task_actor]") {
  fixture f;
  f.run(create());
  auto theirs = *f.store->load_task(task_id).value();
  theirs.snapshot.set_version(2);
  theirs.snapshot.set_edit_version(2);
  f.store->force(theirs);
  auto cmd = retitle("mine");
  cmd.set_expected_version(1);
  auto reply = f.run(cmd);
  REQUIRE(reply.has_error());
  CHECK(reply.error().code() == messages::ERROR_CODE_VERSION_MISMATCH);
}

TEST_CASE("a reminder committed behind our back does not fail an If-Match edit", "[task_actor]") {
  fixture f;
  f.run(create());
  // A reminder is a version nobody edited: the version clients see stays 1.
  auto theirs = *f.store->load_task(task_id).value();
  theirs.snapshot.set_version(2);
  f.store->force(theirs);
  auto cmd = retitle("mine");
  cmd.set_expected_version(1);
  auto reply = f.run(cmd);
  REQUIRE(reply.has_task());
  CHECK(reply.task().version() == 3);
  CHECK(reply.task().edit_version() == 3);
}

TEST_CASE("a store outage is reported as unavailable and not remembered", "[task_actor]") {
  fixture f;
  f.store->fail_commits = 1;
  auto failed = f.run(create("c-1"));
  REQUIRE(failed.has_error());
  CHECK(failed.error().code() == messages::ERROR_CODE_UNAVAILABLE);
  // The same command retried after the outage runs for real.
  auto retried = f.run(create("c-1"));
  CHECK(retried.has_task());
  CHECK(f.nudges == 1);
}

TEST_CASE("get of a missing task is not found", "[task_actor]") {
  fixture f;
  auto cmd = base();
  cmd.mutable_get();
  auto reply = f.run(cmd);
  REQUIRE(reply.has_error());
  CHECK(reply.error().code() == messages::ERROR_CODE_NOT_FOUND);
}

TEST_CASE("a retried create gets its 201 outcome, not 'already exists'", "[task_actor]") {
  fixture f;
  auto first = f.run(create("idem-1"));
  auto again = f.run(create("idem-1"));
  REQUIRE(again.has_task());
  CHECK(again.SerializeAsString() == first.SerializeAsString());
  CHECK(f.store->commits == 1);
  // A different command id is a different request: the task exists.
  auto other = f.run(create("idem-2"));
  REQUIRE(other.has_error());
  CHECK(other.error().code() == messages::ERROR_CODE_CONFLICT);
}

TEST_CASE("a retried command answers as it did first, even after later changes", "[task_actor]") {
  fixture f;
  f.run(create("c-1"));
  auto once = f.run(retitle("once", "c-2"));
  f.run(retitle("twice", "c-3"));
  auto replayed = f.run(retitle("once", "c-2"));
  CHECK(replayed.task().title() == "once");
  CHECK(replayed.task().version() == once.task().version());
  CHECK(f.store->commits == 3);
  auto get = base();
  get.mutable_get();
  CHECK(f.run(get).task().title() == "twice");
}

TEST_CASE("refusals are outcomes too and are replayed", "[task_actor]") {
  fixture f;
  f.run(create("c-1"));
  auto stale = retitle("late", "c-2");
  stale.set_expected_version(7);
  auto first = f.run(stale);
  REQUIRE(first.has_error());
  CHECK(first.error().code() == messages::ERROR_CODE_VERSION_MISMATCH);
  // Even once the version would match, the same command keeps its first answer.
  CHECK(f.run(stale).SerializeAsString() == first.SerializeAsString());
}

TEST_CASE("the actor remembers the last 256 command ids", "[task_actor]") {
  fixture f;
  f.run(create("c-0"));
  for (int i = 1; i <= 256; ++i)
    f.run(retitle("t" + std::to_string(i), "c-" + std::to_string(i)));
  auto commits = f.store->commits;
  // c-1 is still remembered (257 commands ran, c-0 fell out).
  CHECK(f.run(retitle("t1", "c-1")).task().title() == "t1");
  CHECK(f.store->commits == commits);
  // c-0 fell out of the window: the create runs again and finds the task.
  auto forgotten = f.run(create("c-0"));
  REQUIRE(forgotten.has_error());
  CHECK(forgotten.error().code() == messages::ERROR_CODE_CONFLICT);
  CHECK(f.store->commits == commits);
}

TEST_CASE("after reactivation a retried create still cannot create twice", "[task_actor]") {
  fixture f;
  f.run(create("idem-1"));
  auto reactivated = std::make_shared<task::task_actor_state>();
  auto retried = f.run_on(reactivated, create("idem-1"));
  REQUIRE(retried.has_error());
  CHECK(retried.error().code() == messages::ERROR_CODE_CONFLICT);
  CHECK(f.store->commits == 1);
}

TEST_CASE("a create resent to a new activation after its commit answers with the task it created", "[task_actor]") {
  fixture f;
  f.deps->history = f.store;
  auto first = f.run(create("idem-1"));
  // The node that committed died unanswered; the next owner gets the resend.
  auto next_owner = std::make_shared<task::task_actor_state>();
  auto resent = f.run_on(next_owner, create("idem-1"));
  REQUIRE(resent.has_task());
  CHECK(resent.task().version() == 1);
  CHECK(resent.task().title() == first.task().title());
  CHECK(f.store->commits == 1);
}

TEST_CASE("a conditional patch resent to a new activation answers as the success it was", "[task_actor]") {
  fixture f;
  f.deps->history = f.store;
  f.run(create("c-1"));
  auto patch = retitle_at(1, "once", "c-2");
  REQUIRE(f.run(patch).has_task());
  auto next_owner = std::make_shared<task::task_actor_state>();
  auto resent = f.run_on(next_owner, patch);
  REQUIRE(resent.has_task());
  CHECK(resent.task().version() == 2);
  CHECK(resent.task().title() == "once");
  CHECK(f.store->commits == 2);
}

TEST_CASE("a command that never committed stays rejected on a new activation", "[task_actor]") {
  fixture f;
  f.deps->history = f.store;
  f.run(create("idem-1"));
  auto next_owner = std::make_shared<task::task_actor_state>();
  auto other = f.run_on(next_owner, create("idem-2"));
  REQUIRE(other.has_error());
  CHECK(other.error().code() == messages::ERROR_CODE_CONFLICT);
  auto stale = retitle("late", "c-9");
  stale.set_expected_version(7);
  auto refused = f.run_on(next_owner, stale);
  REQUIRE(refused.has_error());
  CHECK(refused.error().code() == messages::ERROR_CODE_VERSION_MISMATCH);
}

TEST_CASE("refusals at one version read the task's history once", "[task_actor]") {
  fixture f;
  f.deps->history = f.store;
  f.run(create("c-1"));
  REQUIRE(f.run(retitle_at(1, "first", "c-2")).has_task());
  for (const auto* id : {"c-3", "c-4", "c-5"}) {
    auto refused = f.run(retitle_at(1, std::string{"late "} + id, id));
    REQUIRE(refused.has_error());
    CHECK(refused.error().code() == messages::ERROR_CODE_VERSION_MISMATCH);
  }
  CHECK(f.store->history_reads == 1);
  // A new version: the history may hold more, so it is read again.
  auto next = retitle("second", "c-6");
  REQUIRE(f.run(next).has_task());
  REQUIRE(f.run(retitle_at(2, "stale", "c-7")).has_error());
  CHECK(f.store->history_reads == 2);
}

TEST_CASE("an activation with no task to keep stops once it has answered", "[task_actor]") {
  fixture f;
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto ask = [&](const caf::actor& actor, const messages::TaskCommand& cmd) {
    std::optional<messages::TaskReply> reply;
    self->request(actor, 5s, cmd)
        .receive([&](messages::TaskReply r) { reply = std::move(r); },
                 [](const caf::error& e) { FAIL(caf::to_string(e)); });
    REQUIRE(reply);
    return *reply;
  };
  auto stopped = [&](const caf::actor& actor) {
    bool down = false;
    self->receive([&](const caf::down_msg& m) { down = m.source == actor.address(); }, caf::after(5s) >> [] {});
    return down;
  };

  auto unknown = sys.spawn(task::task_actor, task_id, std::shared_ptr<const task::task_actor_deps>{f.deps});
  self->monitor(unknown);
  auto get = base();
  get.mutable_get();
  CHECK(ask(unknown, get).error().code() == messages::ERROR_CODE_NOT_FOUND);
  CHECK(stopped(unknown));

  auto refused = sys.spawn(task::task_actor, task_id, std::shared_ptr<const task::task_actor_deps>{f.deps});
  self->monitor(refused);
  auto blank = create();
  blank.mutable_create()->set_title(" ");
  CHECK(ask(refused, blank).error().code() == messages::ERROR_CODE_VALIDATION);
  CHECK(stopped(refused));

  // A task that exists stays: the second read is answered by the same activation.
  auto kept = sys.spawn(task::task_actor, task_id, std::shared_ptr<const task::task_actor_deps>{f.deps});
  REQUIRE(ask(kept, create()).has_task());
  CHECK(ask(kept, get).task().title() == "Ship it");
  caf::anon_send_exit(kept, caf::exit_reason::user_shutdown);
}

namespace {

constexpr std::int64_t hour = 3'600'000;

// A fixture whose clock the test moves and which records what the actor
// tells the timer wheel and stores as the task's timer.
struct reminder_fixture : fixture {
  std::int64_t now = 1000;
  std::vector<std::optional<std::int64_t>> announced;
  std::vector<std::optional<std::int64_t>> stored;

  reminder_fixture() {
    deps->now_ms = [this] { return now; };
    deps->on_reminder_timer = [this](const std::string& id, std::optional<std::int64_t> at, const std::string&) {
      CHECK(id == task_id);
      announced.push_back(at);
    };
    store->before_commit = [this](const ports::task_commit& c) { stored.push_back(c.remind_at_ms); };
  }

  messages::TaskCommand remind() {
    messages::TaskCommand cmd;
    cmd.set_task_id(task_id);
    cmd.mutable_remind();
    return cmd;
  }

  std::size_t reminders_committed() const {
    std::size_t n = 0;
    for (const auto& e : store->events)
      n += e.has_task_reminder_due() ? 1 : 0;
    return n;
  }
};

messages::TaskCommand due_at(std::int64_t due) {
  auto cmd = base();
  cmd.mutable_update()->set_due_at_ms(due);
  return cmd;
}

}  // namespace

TEST_CASE("a due date schedules the task's timer in its commit, and closing cancels it", "[task_actor][reminder]") {
  reminder_fixture f;
  f.run(create());
  CHECK(f.stored == std::vector<std::optional<std::int64_t>>{std::nullopt});
  CHECK(f.announced.empty());  // no timer before, none after: nothing to tell

  f.run(due_at(10 * hour));
  CHECK(f.stored.back() == 9 * hour);
  CHECK(f.announced == std::vector<std::optional<std::int64_t>>{9 * hour});

  auto finish = base();
  finish.mutable_update()->set_status(messages::TASK_STATUS_CANCELLED);
  f.run(finish);
  CHECK(f.stored.back() == std::nullopt);
  CHECK(f.announced.back() == std::nullopt);
}

TEST_CASE("a reminder commits once, and a second ring commits nothing", "[task_actor][reminder]") {
  reminder_fixture f;
  f.run(create());
  f.run(due_at(10 * hour));
  f.now = 12 * hour;  // the node was down through both reminders
  auto reply = f.run(f.remind());
  REQUIRE(reply.has_task());
  CHECK(reply.task().version() == 3);
  REQUIRE(f.reminders_committed() == 1);
  CHECK(f.store->events.back().task_reminder_due().kind() == messages::REMINDER_KIND_OVERDUE);
  // Nobody's command: no actor to leave out of the notifications.
  CHECK(f.store->events.back().actor_id().empty());
  CHECK(f.stored.back() == std::nullopt);
  CHECK(f.nudges == 3);

  auto commits = f.store->commits;
  f.run(f.remind());
  CHECK(f.store->commits == commits);
  CHECK(f.reminders_committed() == 1);
  // A ring that found nothing still tells the wheel the stored timer.
  CHECK(f.announced.back() == std::nullopt);
}

TEST_CASE("an early ring commits nothing and tells the wheel the real time", "[task_actor][reminder]") {
  reminder_fixture f;
  f.run(create());
  f.run(due_at(10 * hour));
  f.now = 5 * hour;
  auto commits = f.store->commits;
  f.run(f.remind());
  CHECK(f.store->commits == commits);
  CHECK(f.announced.back() == 9 * hour);
}

TEST_CASE("two activations ringing one reminder commit it once", "[task_actor][reminder]") {
  reminder_fixture f;
  f.run(create());
  f.run(due_at(10 * hour));
  // The old owner's activation during a handoff, loaded before the new one rings.
  auto old_owner = std::make_shared<task::task_actor_state>();
  auto read = base();
  read.mutable_get();
  f.run_on(old_owner, read);
  f.now = 10 * hour;
  f.run(f.remind());
  f.run_on(old_owner, f.remind());
  CHECK(f.reminders_committed() == 1);
}

TEST_CASE("a ring for a task that does not exist commits nothing and cancels the wheel's timer",
          "[task_actor][reminder]") {
  reminder_fixture f;
  f.run(f.remind());
  CHECK(f.store->commits == 0);
  CHECK(f.announced == std::vector<std::optional<std::int64_t>>{std::nullopt});
}
