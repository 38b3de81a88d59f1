// One-for-one restarts with backoff, and escalation past the intensity limit.
#include <catch2/catch.hpp>

#include <atomic>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "runtime/atoms.hpp"
#include "runtime/supervision/supervisor.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;
constexpr caf::atom_value worker_name = caf::atom("worker");
constexpr caf::atom_value steady_name = caf::atom("steady");

// A child that dies abnormally when told to crash. It takes its name as a
// spawn argument: CAF 0.17 trips UBSan on function actors spawned without any.
caf::behavior fragile(caf::event_based_actor* self, std::string) {
  return {
      [self](crash_atom) { self->quit(caf::make_error(caf::sec::runtime_error, "boom")); },
      [](runtime::tick_atom) { return true; },
  };
}

runtime::child_spec spec(std::string name, caf::atom_value registry_name, std::atomic<int>& starts) {
  return {std::move(name), registry_name, [&starts](caf::actor_system& sys) {
            ++starts;
            return sys.spawn(fragile, std::string{"fragile"});
          }};
}

}  // namespace

TEST_CASE("backoff doubles per consecutive restart, capped, with jitter", "[supervisor]") {
  runtime::restart_policy p;
  p.initial_backoff = 100ms;
  p.max_backoff = 1000ms;
  CHECK(runtime::restart_backoff(p, 1, 1.0) == 100ms);
  CHECK(runtime::restart_backoff(p, 2, 1.0) == 200ms);
  CHECK(runtime::restart_backoff(p, 4, 1.0) == 800ms);
  CHECK(runtime::restart_backoff(p, 9, 1.0) == 1000ms);
  CHECK(runtime::restart_backoff(p, 2, 0.5) == 100ms);
  CHECK(runtime::restart_backoff(p, 2, 0.1) == 100ms);  // jitter never below half
}

TEST_CASE("a crashed child is restarted alone and re-registered", "[supervisor]") {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  std::atomic<int> worker_starts{0}, steady_starts{0};
  std::atomic<int> observed{0};
  runtime::restart_policy policy;
  policy.initial_backoff = 10ms;
  auto sup = sys.spawn(runtime::supervisor,
                       std::vector<runtime::child_spec>{spec("worker", worker_name, worker_starts),
                                                        spec("steady", steady_name, steady_starts)},
                       policy, [&](const std::string& child, const caf::error&) {
                         if (child == "worker")
                           ++observed;
                       });
  REQUIRE(testing::eventually([&] { return sys.registry().get<caf::actor>(worker_name) != nullptr; }));
  auto first = sys.registry().get<caf::actor>(worker_name);
  auto steady = sys.registry().get<caf::actor>(steady_name);
  caf::anon_send(first, crash_atom::value);

  REQUIRE(testing::eventually([&] {
    auto now = sys.registry().get<caf::actor>(worker_name);
    return now && now != first;
  }));
  CHECK(worker_starts == 2);
  CHECK(steady_starts == 1);
  CHECK(observed == 1);
  CHECK(sys.registry().get<caf::actor>(steady_name) == steady);

  // The restarted child works.
  caf::scoped_actor self{sys};
  bool answered = false;
  self->request(sys.registry().get<caf::actor>(worker_name), 1s, runtime::tick_atom::value)
      .receive([&](bool ok) { answered = ok; }, [&](caf::error&) {});
  CHECK(answered);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_CASE("too many restarts within the window escalate: the supervisor fails", "[supervisor]") {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  std::atomic<int> starts{0};
  runtime::restart_policy policy;
  policy.initial_backoff = 1ms;
  policy.max_backoff = 2ms;
  policy.max_restarts = 2;
  policy.window = 10s;
  auto sup = sys.spawn(runtime::supervisor, std::vector<runtime::child_spec>{spec("worker", worker_name, starts)},
                       policy, runtime::restart_observer{});
  caf::scoped_actor self{sys};
  self->monitor(sup);
  for (int crash = 0; crash < 3; ++crash) {
    REQUIRE(testing::eventually([&] { return starts == crash + 1 && sys.registry().get<caf::actor>(worker_name); }));
    caf::anon_send(sys.registry().get<caf::actor>(worker_name), crash_atom::value);
    if (crash < 2)
      REQUIRE(testing::eventually([&] { return starts == crash + 2; }));
  }
  caf::error reason;
  self->receive([&](caf::down_msg& down) { reason = down.reason; }, caf::after(5s) >> [] {});
  CHECK(reason == caf::sec::runtime_error);
  CHECK(starts == 3);
  // Its children went down with it.
  CHECK(testing::eventually([&] { return sys.registry().get<caf::actor>(worker_name) == nullptr; }));
}
