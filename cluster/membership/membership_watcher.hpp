// Builds this node's membership_view from the members bucket. One thread
// watches every key, applies each put and delete, judges lapses on this
// node's steady clock every tick (the server tells watchers nothing when a
// record ages out), and hands the whole table to a handler whenever it
// changed. When the subscription fails it reopens the watcher and catches
// up with the bucket again, judging lapses meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/membership/membership_snapshot.hpp"
#include "cluster/membership/membership_view.hpp"
#include "cluster/nats/nats_handles.hpp"

namespace taskflow::cluster {

struct watch_options {
  std::string self_id;
  std::uint32_t shard_count = 0;
  std::chrono::milliseconds ttl{1500};
  std::chrono::milliseconds connect_timeout{2000};  // the longest wait for the server
};

class membership_watcher {
public:
  // `connection` and `kv` must outlive this object.
  membership_watcher(watch_options options, natsConnection* connection, kvStore* kv);
  ~membership_watcher();
  membership_watcher(const membership_watcher&) = delete;
  membership_watcher& operator=(const membership_watcher&) = delete;

  // Starts the watch thread. `handler` runs on it, never concurrently with
  // itself: first once the bucket's current members have been read (even
  // when there are none), then on every change.
  void start(membership_handler handler);
  // Waits until the bucket's current members have been read; false when
  // `until` came first.
  bool wait_synced(membership_clock::time_point until);
  // Stops and joins the watch thread: no handler call runs after it returns.
  void stop();

  membership_snapshot snapshot() const;
  // The bucket revision of the last put of this node's own record that the
  // watcher delivered.
  std::uint64_t seen_revision() const;

private:
  membership_clock::duration tick() const;
  bool stopping();
  bool open_watcher();
  void close_watcher();
  membership_clock::time_point heard_at(kvEntry* entry, bool catching_up) const;
  void apply(kvEntry* entry, bool catching_up, std::vector<std::string>& lines);
  void notify(std::vector<std::string>& lines);
  void watch_loop();

  watch_options options_;
  natsConnection* connection_;
  kvStore* kv_;
  std::atomic<std::uint64_t> seen_revision_{0};

  mutable std::mutex view_mutex_;
  membership_view view_;
  bool synced_ = false;
  std::condition_variable synced_cv_;

  // The watch thread alone touches the watcher: kvWatcher_Stop from another
  // thread while kvWatcher_Next is waiting leaks the message that arrives in
  // between (NATS.c 3.4, still so in 3.7). Each wait is at most one tick, so
  // stop() only raises the flag.
  std::mutex watcher_mutex_;
  kvWatcher* watcher_ = nullptr;
  bool stopping_ = false;
  std::thread thread_;
  membership_handler handler_;
};

}  // namespace taskflow::cluster
