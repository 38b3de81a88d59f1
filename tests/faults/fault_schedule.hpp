// Faults injected one after another, in rounds that take every kind once in
// an order drawn from a seed (printed, so a failing run can be replayed with
// TASKFLOW_SOAK_SEED; the workers killed and how long each fault lasts come
// from it too): a worker killed
// with SIGKILL and started again on its data, PostgreSQL stopped (fast
// shutdown, as an outage ends its sessions) and started, nats-server stopped
// and started, Redis stopped and started. Each fault lasts 1 to 3 s and the
// next comes 2 to 5 s after the last one recovered, so at most one is on at a
// time and the run is bounded by its duration plus one fault.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/cluster/cluster_harness.hpp"

namespace taskflow::faults_test {

struct fault_window {
  std::string what;
  std::chrono::steady_clock::time_point from;
  std::chrono::steady_clock::time_point to;  // recovered: the server or node answers again
};

class fault_schedule {
public:
  fault_schedule(cluster_test::cluster_harness& cluster, std::vector<std::string> workers, std::uint64_t seed);

  // Injects faults until `duration` has passed; returns when the last one
  // has recovered.
  void run_for(std::chrono::seconds duration);

  const std::vector<fault_window>& windows() const { return windows_; }
  // How many faults of each kind were injected.
  std::map<std::string, int> counts() const;

private:
  fault_window inject();
  std::chrono::milliseconds between(int from_ms, int to_ms);
  cluster_test::cluster_harness& cluster_;
  std::vector<std::string> workers_;
  std::mt19937_64 random_;
  std::vector<std::string> next_;  // what is left of this round
  std::vector<fault_window> windows_;
};

// The seed of this run: TASKFLOW_SOAK_SEED when set, else the clock.
std::uint64_t soak_seed();
// TASKFLOW_SOAK_SECONDS when set, else 60.
std::chrono::seconds soak_duration();

}  // namespace taskflow::faults_test
