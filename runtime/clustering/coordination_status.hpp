// What the rest of the node reads about the cluster coordinator's progress,
// and a way to wait for it: the coordinator calls changed() after each step,
// so the node's start (until some shard has an owner) and its graceful leave
// (until the handoff is acknowledged) sleep until then rather than poll.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace taskflow::runtime {

struct coordination_status {
  std::atomic<std::uint64_t> epoch{0};
  std::atomic<std::uint64_t> acknowledged{0};
  std::atomic<bool> fenced{false};
  // True once the last acknowledged epoch left this node no shard: what a
  // graceful leave waits for.
  std::atomic<bool> holds_nothing{false};

  // Wakes every waiter to check its condition again.
  void changed();
  // Waits until `done` holds or `deadline` passes; returns its last value.
  // For the node's own start and stop threads, never a scheduler's.
  bool wait_until(std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done);

private:
  std::mutex mutex_;
  std::condition_variable changed_;
};

}  // namespace taskflow::runtime
