// The edge's routing handle: deadlines become DEADLINE_EXCEEDED (504 at the
// edge), a missing or dying shard host becomes UNAVAILABLE (503).
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <caf/event_based_actor.hpp>

#include "actors/ports/read_model_store.hpp"
#include "actors/task/task_decider.hpp"
#include "runtime/atoms.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/gateway/task_gateway.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

class empty_read_model final : public ports::read_model_store {
public:
  caf::expected<std::vector<ports::projection_outcome>> project(
      const std::string&, const std::vector<messages::EventEnvelope>& events) override {
    return std::vector<ports::projection_outcome>(events.size(), ports::projection_outcome::applied);
  }
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery&) override {
    if (down)
      return ports::make_error(ports::store_errc::unavailable, "disk on fire");
    messages::TaskPage page;
    page.set_total(0);
    return page;
  }
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) override {
    return list_tasks(query);
  }
  caf::expected<void> ping() override {
    if (down)
      return ports::make_error(ports::store_errc::unavailable, "disk on fire");
    return caf::unit;
  }
  bool down = false;
};

// Holds every command without answering, like an actor stuck on a slow store.
// (A handler returning void would answer at once with an empty reply.)
struct silent_state {
  std::vector<caf::response_promise> held;
};

// Test actors take a spawn argument: CAF 0.17 trips UBSan on function actors
// spawned without any.
caf::behavior silent(caf::stateful_actor<silent_state>* self, std::string) {
  return {[self](const messages::TaskCommand&) {
    self->state.held.push_back(self->make_response_promise());
    return self->state.held.back();
  }};
}

// Answers "moved" to the first `refusals` commands, then the task itself,
// as a shard host does while its shard changes hands.
struct moving_state {
  int refusals = 0;
  int seen = 0;
};

caf::behavior moving(caf::stateful_actor<moving_state>* self, int refusals) {
  self->state.refusals = refusals;
  return {[self](const messages::TaskCommand& cmd) {
    messages::TaskReply reply;
    if (++self->state.seen <= self->state.refusals)
      *reply.mutable_error() = task::make_error(messages::ERROR_CODE_MOVED, "moving");
    else
      reply.mutable_task()->set_id(cmd.task_id());
    return reply;
  }};
}

caf::behavior dying(caf::event_based_actor* self, std::string) {
  return {[self](const messages::TaskCommand&) { self->quit(caf::make_error(caf::sec::runtime_error)); }};
}

messages::TaskReply send(runtime::task_gateway& gw, std::chrono::milliseconds deadline) {
  std::promise<messages::TaskReply> done;
  messages::TaskCommand cmd;
  cmd.set_task_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  cmd.mutable_get();
  gw.send(cmd, deadline, [&](messages::TaskReply r) { done.set_value(std::move(r)); });
  auto f = done.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  return f.get();
}

}  // namespace

TEST_CASE("a command unanswered within its deadline is DEADLINE_EXCEEDED", "[gateway]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  auto reads = std::make_shared<empty_read_model>();
  runtime::task_gateway gw{sys, pool, reads};
  auto host = sys.spawn(silent, std::string{"silent"});
  sys.registry().put(runtime::shard_host_name, host);
  auto started = std::chrono::steady_clock::now();
  auto reply = send(gw, 50ms);
  REQUIRE(reply.has_error());
  CHECK(reply.error().code() == messages::ERROR_CODE_DEADLINE_EXCEEDED);
  CHECK(std::chrono::steady_clock::now() - started >= 50ms);
  sys.registry().erase(runtime::shard_host_name);
  caf::anon_send_exit(host, caf::exit_reason::user_shutdown);
}

TEST_CASE("no shard host, or one that dies on the command, is UNAVAILABLE", "[gateway]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  auto reads = std::make_shared<empty_read_model>();
  runtime::task_gateway gw{sys, pool, reads};
  CHECK(send(gw, 1s).error().code() == messages::ERROR_CODE_UNAVAILABLE);
  std::promise<runtime::task_gateway::readiness> checked;
  gw.check_readiness([&](runtime::task_gateway::readiness r) { checked.set_value(std::move(r)); });
  CHECK_FALSE(checked.get_future().get().ready);

  auto host = sys.spawn(dying, std::string{"dying"});
  sys.registry().put(runtime::shard_host_name, host);
  CHECK(send(gw, 2s).error().code() == messages::ERROR_CODE_UNAVAILABLE);
  sys.registry().erase(runtime::shard_host_name);
}

TEST_CASE("list answers from the read model, or UNAVAILABLE when it is down", "[gateway]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  auto reads = std::make_shared<empty_read_model>();
  runtime::task_gateway gw{sys, pool, reads};
  auto list = [&] {
    std::promise<messages::ListTasksReply> done;
    gw.list(messages::ListTasksQuery{}, [&](messages::ListTasksReply r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  };
  CHECK(list().has_page());
  reads->down = true;
  auto failed = list();
  REQUIRE(failed.has_error());
  CHECK(failed.error().code() == messages::ERROR_CODE_UNAVAILABLE);
  CHECK_THAT(failed.error().detail(), Catch::Contains("disk on fire"));
}

TEST_CASE("a 'moved' answer is sent again until the new owner answers", "[gateway]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  runtime::task_gateway gw{sys, pool, std::make_shared<empty_read_model>()};
  auto host = sys.spawn(moving, 2);
  sys.registry().put(runtime::shard_host_name, host);
  auto reply = send(gw, 2s);
  REQUIRE(reply.has_task());
  CHECK(reply.task().id() == "01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  sys.registry().erase(runtime::shard_host_name);
  caf::anon_send_exit(host, caf::exit_reason::user_shutdown);
}

TEST_CASE("concurrent requests through the routers each get their own answer", "[gateway]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  runtime::task_gateway gw{sys, pool, std::make_shared<empty_read_model>()};
  auto host = sys.spawn(moving, 0);
  sys.registry().put(runtime::shard_host_name, host);
  constexpr int count = 500;
  std::mutex mutex;
  std::set<std::string> answered;
  std::atomic<int> wrong{0};
  std::promise<void> all;
  for (int i = 0; i < count; ++i) {
    auto id = "01a20f1d-e9b0-73d9-98cf-" + std::to_string(100000000000 + i);
    messages::TaskCommand cmd;
    cmd.set_task_id(id);
    cmd.mutable_get();
    gw.send(cmd, 5s, [&, id](messages::TaskReply r) {
      if (!r.has_task() || r.task().id() != id)
        ++wrong;
      std::lock_guard lock{mutex};
      answered.insert(id);
      if (answered.size() == count)
        all.set_value();
    });
  }
  REQUIRE(all.get_future().wait_for(10s) == std::future_status::ready);
  CHECK(wrong == 0);
  sys.registry().erase(runtime::shard_host_name);
  caf::anon_send_exit(host, caf::exit_reason::user_shutdown);
}

TEST_CASE("a request in flight when the gateway stops is answered UNAVAILABLE", "[gateway]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  auto gw = std::make_unique<runtime::task_gateway>(sys, pool, std::make_shared<empty_read_model>());
  auto host = sys.spawn(silent, std::string{"silent"});
  sys.registry().put(runtime::shard_host_name, host);
  std::promise<messages::TaskReply> done;
  messages::TaskCommand cmd;
  cmd.set_task_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  cmd.mutable_get();
  gw->send(cmd, 30s, [&](messages::TaskReply r) { done.set_value(std::move(r)); });
  // Most likely held by the host by then; a request still queued at a
  // router is answered the same way.
  std::this_thread::sleep_for(100ms);
  gw.reset();
  auto f = done.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  auto reply = f.get();
  REQUIRE(reply.has_error());
  CHECK(reply.error().code() == messages::ERROR_CODE_UNAVAILABLE);
  CHECK_THAT(reply.error().detail(), Catch::Contains("shutting down"));
  sys.registry().erase(runtime::shard_host_name);
  caf::anon_send_exit(host, caf::exit_reason::user_shutdown);
}
