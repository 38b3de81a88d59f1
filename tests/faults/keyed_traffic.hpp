// What a careful client sends while things break: each client signs up as
// a user of its own, then creates, patches (If-Match), deletes, reads and
// lists its own tasks and signs in again now and then, through the edges in
// turn. A write with no answer, a 5xx, or a 409 (the key still running) is
// sent again with the same Idempotency-Key and body until it is answered or
// 30 s pass, so every write has at most one effect however often it is sent.
// Since a client's tasks are its own, what it was told is what the store must
// hold: the report keeps every acknowledged write and delete, and the
// latency of every request with when it started.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/cluster/cluster_harness.hpp"

namespace taskflow::faults_test {

using clock_type = std::chrono::steady_clock;

struct timed_request {
  clock_type::time_point started;
  double ms = 0;
};

struct traffic_report {
  cluster_test::load_report load;      // every request; writes: live tasks as last acknowledged
  std::set<std::string> deleted;       // tasks whose delete was acknowledged
  std::vector<std::string> owner_ids;  // the clients' users
  std::vector<timed_request> requests;
  int resent = 0;                  // writes sent again with the same key
  int replayed = 0;                // answers marked Idempotent-Replayed
  int unresolved = 0;              // writes still unanswered after 30 s
  int applied_then_412 = 0;        // a resent patch refused 412 whose first sending had applied
  int sign_ins = 0;                // sign-ins answered 201
  int acknowledged_not_found = 0;  // reads answered 404 for a task whose write was acknowledged
};

class keyed_traffic {
public:
  // Signs the clients up through edges.front() before any fault.
  keyed_traffic(std::vector<std::uint16_t> edges, int clients);
  ~keyed_traffic();
  keyed_traffic(const keyed_traffic&) = delete;
  keyed_traffic& operator=(const keyed_traffic&) = delete;
  traffic_report stop();

private:
  class client;
  void record(const traffic_report& part);
  std::vector<std::uint16_t> edges_;
  std::mutex mutex_;
  traffic_report report_;
  std::atomic<bool> stopping_{false};
  std::vector<std::jthread> threads_;
};

// The 99th percentile of `latencies_ms`; 0 when there are none.
double p99_ms(std::vector<double> latencies_ms);

}  // namespace taskflow::faults_test
