#include "tests/faults/fault_schedule.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace taskflow::faults_test {
namespace {

using clock_type = std::chrono::steady_clock;

const std::vector<std::string> kinds{"kill -9 a worker", "restart PostgreSQL", "restart NATS", "stop and start Redis"};

std::uint64_t env_number(const char* name, std::uint64_t otherwise) {
  const char* value = std::getenv(name);
  return value && *value ? std::stoull(value) : otherwise;
}

}  // namespace

fault_schedule::fault_schedule(cluster_test::cluster_harness& cluster, std::vector<std::string> workers,
                               std::uint64_t seed)
    : cluster_(cluster), workers_(std::move(workers)), random_(seed) {}

std::chrono::milliseconds fault_schedule::between(int from_ms, int to_ms) {
  return std::chrono::milliseconds{std::uniform_int_distribution<int>{from_ms, to_ms}(random_)};
}

void fault_schedule::run_for(std::chrono::seconds duration) {
  auto until = clock_type::now() + duration;
  while (clock_type::now() < until) {
    std::this_thread::sleep_for(between(2000, 5000));
    if (clock_type::now() >= until)
      break;
    windows_.push_back(inject());
  }
}

fault_window fault_schedule::inject() {
  if (next_.empty()) {
    next_ = kinds;
    std::shuffle(next_.begin(), next_.end(), random_);
  }
  auto kind = next_.back();
  next_.pop_back();
  auto down = between(1000, 3000);
  fault_window window{kind, clock_type::now(), {}};
  auto& stack = cluster_.servers();
  if (kind == kinds[0]) {
    auto worker = workers_[std::uniform_int_distribution<std::size_t>{0, workers_.size() - 1}(random_)];
    window.what += " (" + worker + ")";
    cluster_test::progress(window.what);
    cluster_.node(worker).kill9();
    std::this_thread::sleep_for(down);
    cluster_.node(worker).start();  // waits for /readyz
  } else {
    auto server = kind == kinds[1] ? "postgres" : kind == kinds[2] ? "nats" : "redis";
    cluster_test::progress(kind);
    stack.stop(server);
    std::this_thread::sleep_for(down);
    stack.restart(server);  // waits until it accepts connections
  }
  window.to = clock_type::now();
  cluster_test::progress(
      window.what + ": recovered after " +
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(window.to - window.from).count()) + " ms");
  return window;
}

std::map<std::string, int> fault_schedule::counts() const {
  std::map<std::string, int> out;
  for (const auto& w : windows_)
    ++out[w.what.substr(0, w.what.find(" ("))];
  return out;
}

std::uint64_t soak_seed() {
  return env_number("TASKFLOW_SOAK_SEED", static_cast<std::uint64_t>(clock_type::now().time_since_epoch().count()));
}

std::chrono::seconds soak_duration() {
  return std::chrono::seconds{env_number("TASKFLOW_SOAK_SECONDS", 60)};
}

}  // namespace taskflow::faults_test
