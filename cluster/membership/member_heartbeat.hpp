// This node's own record in the members bucket, and the lease it holds on
// it: the record is put at start, on every change, and every heartbeat. The
// steady time at which the last acknowledged put was sent is what the node
// fences itself by: the others heard it no earlier, so a node whose puts
// stop reaching the bucket stops serving before the others can have lapsed
// it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

#include <caf/expected.hpp>

#include "cluster/membership/member_record.hpp"
#include "cluster/membership/membership_view.hpp"
#include "cluster/nats/nats_handles.hpp"

namespace taskflow::cluster {

class member_heartbeat {
public:
  // `kv` waits connect_timeout for the server, `beat_kv` half a heartbeat,
  // so a dead link cannot stall the heartbeat; both must outlive this
  // object. Puts nothing until begin().
  member_heartbeat(member_record self, kvStore* kv, kvStore* beat_kv, std::chrono::milliseconds interval,
                   membership_clock::duration fence_after);
  ~member_heartbeat();
  member_heartbeat(const member_heartbeat&) = delete;
  member_heartbeat& operator=(const member_heartbeat&) = delete;

  // Lets puts through from now on; false when they already were.
  bool begin();
  // Takes begin() back, after the first put never got through.
  void cancel();
  // Puts the record now; success without a put before begin() or once
  // stopped. Puts are serialised, so the last one carries the latest record.
  caf::expected<void> put();
  // Starts the heartbeat thread, right after the first put.
  void run();

  // Changes the record and puts it before returning; a failed put is
  // retried by the next heartbeat.
  void change(const std::function<void(member_record&)>& edit);
  // Changes the record and returns at once; the heartbeat thread puts it
  // right away. A put may wait up to half a heartbeat for the server, which
  // callers that must not block (the coordinator actor) leave to it.
  void change_soon(const std::function<void(member_record&)>& edit);

  member_record record() const;
  // True while the last acknowledged put was sent less than fence_after ago.
  bool in_contact() const;
  // The bucket revision of the last acknowledged put.
  std::uint64_t stored_revision() const;

  // Stops for good, once a put in flight is done, and deletes the record if
  // it was put; nothing when stopped already.
  void leave();
  // Stops for good and leaves the record to age out, as a crash does.
  void abandon();

private:
  static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min();

  void beat_loop();
  void stop_thread();

  kvStore* kv_;
  kvStore* beat_kv_;
  std::chrono::milliseconds interval_;
  membership_clock::duration fence_after_;

  mutable std::mutex record_mutex_;
  member_record record_;
  bool started_ = false;
  bool left_ = false;
  std::mutex put_mutex_;  // held across a put
  std::atomic<std::int64_t> last_contact_{never};
  std::atomic<std::uint64_t> stored_revision_{0};

  std::mutex beat_mutex_;
  std::condition_variable beat_cv_;
  bool beat_stopping_ = false;
  bool beat_now_ = false;  // a record change waits for the heartbeat thread's put
  std::thread beat_thread_;
};

}  // namespace taskflow::cluster
