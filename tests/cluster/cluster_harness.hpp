// A TaskFlow cluster for tests: real nats-server and PostgreSQL from the
// project's own stack script, and taskflow processes on loopback that join
// it (workers, edges), started, stopped (SIGTERM) and killed (SIGKILL) at
// will. A mixed load of creates, patches and reads runs through the edges
// and keeps what every answer acknowledged, so a scenario can check
// afterwards that no acknowledged write is missing from the store.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/support/test_stack.hpp"

namespace taskflow::cluster_test {

// Prints a step with the seconds since the first one, flushed at once, so
// that a run cut short by ctest's timeout still shows how far it got.
void progress(const std::string& what);

class cluster_harness {
public:
  cluster_harness();
  ~cluster_harness();

  // Starts a node and waits until every running node counts it as a member.
  // It joins through the stack's nats-server unless given another URL.
  e2e::server_process& add_node(const std::string& id, const std::string& roles = "edge,worker",
                                const std::string& nats_url = "");
  // Starts workers at once, as a rollout does, each with the same bootstrap
  // admin; fails when any of them does not come up.
  void add_workers_at_once(const std::vector<std::string>& ids);
  e2e::server_process& node(const std::string& id) { return *nodes_.at(id); }
  void forget(const std::string& id) { nodes_.erase(id); }

  // Waits until `port`'s node sees exactly `ids` as up workers.
  void await_members(std::uint16_t port, std::vector<std::string> ids, std::chrono::seconds within);

  // node id per shard, as /admin/api/shards on `port` reports it.
  std::vector<std::string> shard_owners(std::uint16_t port);

  // Creates tasks through `edge` until one lands on a shard `owner` serves
  // in `owners`; returns its id.
  std::string task_on(std::uint16_t edge, const std::vector<std::string>& owners, const std::string& owner);

  const std::string& token() const { return token_; }
  const testing::test_stack& stack() const { return stack_; }
  // The same servers, to stop and restart under load (fault scenarios).
  testing::test_stack& servers() { return stack_; }
  // Flags that every node started from now on gets too, after the common
  // ones: --redis for a scenario that wants the shared cache.
  void pass_to_new_nodes(std::vector<std::string> extra) { extra_flags_ = std::move(extra); }

private:
  std::vector<std::string> flags(const std::string& id, const std::string& roles, const std::string& nats_url) const;
  testing::test_stack stack_;
  std::map<std::string, std::unique_ptr<e2e::server_process>> nodes_;
  std::string token_;
  std::vector<std::string> extra_flags_;
};

// What one acknowledged write promised: the task holds at least `version`,
// and at `version` it had `title`.
struct acknowledged {
  std::int64_t version = 0;
  std::string title;
};

struct load_report {
  int sent = 0;
  std::map<int, int> by_status;                // 0: no answer (connection refused or reset)
  std::map<std::string, acknowledged> writes;  // by task id
  // The first few answers that were not 2xx, each with when (on progress()'s
  // clock), which request through which edge, and the problem's detail or
  // the client's error: what a failing run needs to be understood.
  std::vector<std::string> failures;
  int failed() const;  // answers that are not 2xx
};

// Clients that create, patch and read their own tasks in a loop through
// the given edges (round robin per request), until stopped or a bound on
// time and requests.
class mixed_load {
public:
  mixed_load(std::string token, std::vector<std::uint16_t> edges, int clients);
  ~mixed_load();
  // A load balancer takes a node out of rotation before it is stopped.
  void remove_edge(std::uint16_t port);
  load_report stop();

private:
  void run(int client);
  std::string token_;
  std::mutex mutex_;
  std::vector<std::uint16_t> edges_;
  load_report report_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

struct patch_tally {
  int ok = 0;                   // 200: the patch became the next version
  int precondition_failed = 0;  // 412: another patch got there first
  int other = 0;
  std::vector<std::string> failures;  // the first few others, as in load_report
};

// Writers that read one task and PATCH it with its ETag as If-Match, over
// and over, through the given edges (each writer keeps to one edge).
class conditional_patches {
public:
  conditional_patches(std::string token, std::string task_id, std::vector<std::uint16_t> edges, int per_edge);
  ~conditional_patches();
  patch_tally stop();

private:
  void run(std::uint16_t edge, int writer);
  std::string token_;
  std::string task_id_;
  std::atomic<int> ok_{0};
  std::atomic<int> precondition_failed_{0};
  std::atomic<int> other_{0};
  std::mutex mutex_;
  std::vector<std::string> failures_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

struct store_audit {
  int missing_writes = 0;    // acknowledged, but not (or older) in the store
  int events = 0;            // events of the audited tasks
  int unprojected = 0;       // of those, not (yet) in the projector's inbox
  int projected_twice = 0;   // inbox rows beyond one per event and consumer
  int view_out_of_step = 0;  // read-model rows whose version differs from the task's
};

// Compares the acknowledged writes with PostgreSQL, after giving the
// projector up to `settle` to catch up.
store_audit audit(const std::string& postgres_url, const std::map<std::string, acknowledged>& writes,
                  std::chrono::seconds settle);

// VmRSS of a running process in KiB, from /proc/<pid>/status; 0 when it
// is gone or the line is missing.
std::int64_t resident_kib(pid_t pid);

// Prints and checks what every scenario reports.
void print_report(const std::string& scenario, const load_report& load, const store_audit& audit);

}  // namespace taskflow::cluster_test
