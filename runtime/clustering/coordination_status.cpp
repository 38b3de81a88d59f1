#include "runtime/clustering/coordination_status.hpp"

namespace taskflow::runtime {

void coordination_status::changed() {
  // Taking the lock orders this wake-up after a waiter's check of `done`, so
  // a change that lands between the check and the wait is not lost.
  { std::lock_guard lock{mutex_}; }
  changed_.notify_all();
}

bool coordination_status::wait_until(std::chrono::steady_clock::time_point deadline,
                                     const std::function<bool()>& done) {
  std::unique_lock lock{mutex_};
  return changed_.wait_until(lock, deadline, done);
}

}  // namespace taskflow::runtime
