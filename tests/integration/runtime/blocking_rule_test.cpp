// The runtime's first rule, enforced: in a debug build a store call on a CAF
// scheduler thread or an HTTP I/O thread aborts the process, naming the
// thread, while the same call on the store pool runs. Every debug-build
// suite (the ASan phase of tools/test) therefore fails on any store call
// that sneaks back onto those threads; these cases prove the guard itself.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <future>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "persistence/sqlite/sqlite_stores.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/blocking/thread_roles.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

const std::string task_id = "01a20f1d-e9b0-73d9-98cf-000000000001";

std::shared_ptr<ports::task_store> fresh_store() {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("taskflow-rule-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  return persistence::open_sqlite_stores(dir / "taskflow.db")->tasks;
}

// Runs `body` in a child process; the child's exit status, or the signal
// that ended it.
int in_child(const std::function<void()>& body) {
  auto pid = ::fork();
  if (pid == 0) {
    body();
    std::_Exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

void load_on_a_caf_worker() {
  auto store = fresh_store();
  caf::actor_system_config cfg;
  cfg.add_thread_hook<runtime::scheduler_thread_role>();
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  caf::actor_system system{cfg};
  caf::scoped_actor self{system};
  auto worker = system.spawn([store](caf::event_based_actor*) -> caf::behavior {
    return {[store](int) { return store->load_task(task_id) ? 1 : 0; }};
  });
  self->request(worker, 10s, 1).receive([](int) {}, [](caf::error&) {});
}

void load_on_an_http_thread() {
  auto store = fresh_store();
  std::thread io{[store] {
    runtime::name_http_io_thread();
    (void)store->load_task(task_id);
  }};
  io.join();
}

}  // namespace

#ifndef NDEBUG
constexpr int expected_end = -SIGABRT;
#else
// Release builds leave the check out: it costs nothing there.
constexpr int expected_end = 0;
#endif

TEST_CASE("a store call on a CAF worker aborts a debug build", "[blocking_rule]") {
  CHECK(in_child(load_on_a_caf_worker) == expected_end);
}

TEST_CASE("a store call on an HTTP I/O thread aborts a debug build", "[blocking_rule]") {
  CHECK(in_child(load_on_an_http_thread) == expected_end);
}

TEST_CASE("the same store call on the store pool runs", "[blocking_rule]") {
  auto store = fresh_store();
  runtime::blocking_pool pool{1, 10};
  std::promise<bool> loaded;
  REQUIRE(pool.post([&] { loaded.set_value(static_cast<bool>(store->load_task(task_id))); }));
  auto result = loaded.get_future();
  REQUIRE(result.wait_for(10s) == std::future_status::ready);
  CHECK(result.get());
}
