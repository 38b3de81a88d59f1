// B6 of tools/bench/suite: N resident task actors with state, in one process.
// The runtime's own pieces: a shard host activates one task actor per key
// (the node's activation path), the real task actor handles a create command
// (decide, apply, commit through the node's group-commit queue, a reply
// remembered by command id, as the edge sends them), and the actor stays
// resident. Only the store behind the queue is a stand-in that keeps
// nothing, so the growth of the resident set is the actors' and the shard
// host's, not a database's. No HTTP edge.
//
//   bench_actor_density [N=1000000] [IN_FLIGHT=1024]
//
// Prints one line of JSON: actors resident, seconds from the first create to
// the last answer, and VmRSS before and after (KiB, from /proc/self/status).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ports/task_store.hpp"
#include "actors/task/task_actor.hpp"
#include "messages/caf_types.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/batching/commit_queue.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/blocking/thread_roles.hpp"
#include "runtime/sharding/shard_host.hpp"

namespace {

using namespace taskflow;

// Commits go through the node's group commit, with one committer as on
// SQLite, and are then forgotten: a database's memory is not the actors'.
class discarding_store final : public ports::task_store {
public:
  caf::expected<std::optional<task::task_state>> load_task(const std::string&) override {
    return std::optional<task::task_state>{};
  }
  void commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) override {
    commits_.submit(std::move(commit), std::move(done));
  }

private:
  persistence::commit_queue commits_{
      1,
      256,
      persistence::commit_queue::default_max_waiting,
      [](std::vector<persistence::queued_commit>&) {},
      [] { return ports::make_error(ports::store_errc::unavailable, "the batch failed"); },
      {}};
};

long rss_kib() {
  std::ifstream status{"/proc/self/status"};
  std::string word;
  while (status >> word)
    if (word == "VmRSS:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
  return -1;
}

struct outcome {
  std::size_t answered = 0;
  std::size_t failed = 0;
  std::string first_failure;
};

struct driver_state {
  std::size_t sent = 0;
  outcome result;
  static inline const char* name = "density_driver";
};

using driver_actor = caf::stateful_actor<driver_state>;

struct run_spec {
  caf::actor host;
  std::size_t count = 0;
  std::shared_ptr<std::promise<outcome>> done;
};

// What the edge sends for POST /api/v1/tasks with tools/bench/post_task.lua's body.
messages::TaskCommand create_command(std::size_t n) {
  messages::TaskCommand cmd;
  cmd.set_task_id(ids::new_uuid_v7());
  cmd.set_command_id(ids::new_uuid_v7());
  cmd.mutable_principal()->set_id("bench-owner");
  cmd.mutable_create()->set_title("bench task " + std::to_string(n));
  cmd.mutable_create()->set_priority(2);
  return cmd;
}

void send_next(driver_actor* self, const run_spec& spec);

void on_answer(driver_actor* self, const run_spec& spec, const std::string& failure) {
  auto& result = self->state.result;
  ++result.answered;
  if (!failure.empty() && result.failed++ == 0)
    result.first_failure = failure;
  if (result.answered == spec.count) {
    spec.done->set_value(result);
    self->quit();
    return;
  }
  send_next(self, spec);
}

void send_next(driver_actor* self, const run_spec& spec) {
  if (self->state.sent == spec.count)
    return;
  auto cmd = create_command(self->state.sent++);
  self->request(spec.host, caf::infinite, std::move(cmd))
      .then(
          [self, spec](messages::TaskReply& reply) {
            on_answer(self, spec, reply.has_error() ? reply.error().detail() : std::string{});
          },
          [self, spec](caf::error& err) { on_answer(self, spec, caf::to_string(err)); });
}

// Keeps a bounded number of creates in flight, like a fixed set of clients.
caf::behavior driver(driver_actor* self, run_spec spec, std::size_t in_flight) {
  for (std::size_t i = 0; i < in_flight; ++i)
    send_next(self, spec);
  return {[](caf::ok_atom) {}};
}

// Quotes and backslashes would break the JSON line.
std::string printable(std::string text) {
  std::replace(text.begin(), text.end(), '"', '\'');
  std::replace(text.begin(), text.end(), '\\', '/');
  return text.substr(0, 200);
}

std::size_t arg_or(int argc, char** argv, int i, std::size_t fallback) {
  return argc > i ? static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10)) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  auto count = arg_or(argc, argv, 1, 1'000'000);
  auto in_flight = std::max<std::size_t>(1, arg_or(argc, argv, 2, 1024));
  // The node's defaults: one scheduler thread per core, 32 store threads
  // with a queue of 10,000.
  caf::actor_system_config cfg;
  messages::register_message_types(cfg);
  cfg.set("scheduler.max-threads", static_cast<std::size_t>(std::max(1u, std::thread::hardware_concurrency())));
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  cfg.add_thread_hook<runtime::scheduler_thread_role>();
  // Leaked on purpose: the process ends with _exit below, and tearing down a
  // million actors would only add minutes to the benchmark.
  auto* pool = new runtime::blocking_pool{32, 10'000};
  auto* system = new caf::actor_system{cfg};

  auto deps = std::make_shared<const task::task_actor_deps>(
      task::task_actor_deps{std::make_shared<discarding_store>(), pool, clock::unix_now_ms, nullptr, nullptr});
  runtime::activation_factory factory = [deps](caf::local_actor* host, const std::string& key) {
    return caf::actor{host->spawn(task::task_actor, key.substr(key.find('/') + 1), deps)};
  };
  auto resident = std::make_shared<std::atomic<std::size_t>>(0);
  runtime::shard_host_hooks hooks{nullptr, nullptr, nullptr, [resident](std::size_t n) { resident->store(n); }};
  // Idle timeout and sweep far beyond the run: nothing passivates.
  runtime::shard_host_config host_cfg{std::chrono::hours{24}, count + 1, std::chrono::hours{24}, nullptr};
  auto host = system->spawn(runtime::shard_host, host_cfg, factory, hooks);

  std::this_thread::sleep_for(std::chrono::milliseconds{200});
  auto before = rss_kib();
  auto done = std::make_shared<std::promise<outcome>>();
  auto finished = done->get_future();
  auto started = std::chrono::steady_clock::now();
  system->spawn(driver, run_spec{host, count, done}, in_flight);
  auto result = finished.get();
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto after = rss_kib();
  // The last replies' messages and the pool's queue are gone a moment later.
  std::this_thread::sleep_for(std::chrono::milliseconds{500});
  auto settled = rss_kib();

  std::printf(
      "{\"actors\": %zu, \"resident\": %zu, \"failed\": %zu, \"first_failure\": \"%s\", \"seconds\": %.3f, "
      "\"rss_before_kib\": %ld, \"rss_after_kib\": %ld, \"rss_settled_kib\": %ld}\n",
      count, resident->load(), result.failed, printable(result.first_failure).c_str(), seconds, before, after, settled);
  std::fflush(stdout);
  _exit(result.failed == 0 && resident->load() == count ? 0 : 1);
}
