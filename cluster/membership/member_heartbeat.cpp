#include "cluster/membership/member_heartbeat.hpp"

namespace taskflow::cluster {
namespace {

using steady = membership_clock;

std::int64_t ticks(steady::time_point t) {
  return t.time_since_epoch().count();
}

}  // namespace

member_heartbeat::member_heartbeat(member_record self, kvStore* kv, kvStore* beat_kv,
                                   std::chrono::milliseconds interval, membership_clock::duration fence_after)
    : kv_(kv), beat_kv_(beat_kv), interval_(interval), fence_after_(fence_after), record_(std::move(self)) {}

member_heartbeat::~member_heartbeat() {
  stop_thread();
}

bool member_heartbeat::begin() {
  std::lock_guard lock{record_mutex_};
  if (started_)
    return false;
  started_ = true;
  return true;
}

void member_heartbeat::cancel() {
  std::lock_guard lock{record_mutex_};
  started_ = false;
}

caf::expected<void> member_heartbeat::put() {
  std::lock_guard put_lock{put_mutex_};
  std::string key;
  std::string json;
  {
    std::lock_guard lock{record_mutex_};
    if (!started_ || left_)
      return caf::unit;
    key = record_.id;
    json = to_json(record_);
  }
  auto sent = steady::now();
  std::uint64_t rev = 0;
  if (auto s = kvStore_Put(&rev, beat_kv_, key.c_str(), json.data(), static_cast<int>(json.size())); s != NATS_OK)
    return nats::error("cannot put member record " + key, s);
  // Puts are serialised, so these only move forward.
  last_contact_ = ticks(sent);
  stored_revision_ = rev;
  return caf::unit;
}

void member_heartbeat::run() {
  beat_thread_ = std::thread{[this] { beat_loop(); }};
}

void member_heartbeat::change(const std::function<void(member_record&)>& edit) {
  {
    std::lock_guard lock{record_mutex_};
    edit(record_);
  }
  (void)put();
}

void member_heartbeat::change_soon(const std::function<void(member_record&)>& edit) {
  {
    std::lock_guard lock{record_mutex_};
    edit(record_);
  }
  {
    std::lock_guard lock{beat_mutex_};
    beat_now_ = true;
  }
  beat_cv_.notify_all();
}

member_record member_heartbeat::record() const {
  std::lock_guard lock{record_mutex_};
  return record_;
}

bool member_heartbeat::in_contact() const {
  auto last = last_contact_.load();
  if (last == never)
    return false;
  return ticks(steady::now()) - last < fence_after_.count();
}

std::uint64_t member_heartbeat::stored_revision() const {
  return stored_revision_.load();
}

void member_heartbeat::leave() {
  {
    std::lock_guard lock{record_mutex_};
    if (left_)
      return;
    left_ = true;
  }
  stop_thread();
  std::lock_guard put_lock{put_mutex_};  // waits out a heartbeat in flight
  last_contact_ = never;
  std::string key;
  bool was_started = false;
  {
    std::lock_guard lock{record_mutex_};
    was_started = started_;
    key = record_.id;
  }
  if (was_started)
    (void)kvStore_Delete(kv_, key.c_str());
}

void member_heartbeat::abandon() {
  {
    std::lock_guard lock{record_mutex_};
    left_ = true;
  }
  stop_thread();
  std::lock_guard put_lock{put_mutex_};
  last_contact_ = never;
}

void member_heartbeat::beat_loop() {
  std::unique_lock lock{beat_mutex_};
  // run() follows the first put.
  auto next = steady::now() + interval_;
  while (!beat_stopping_) {
    if (beat_now_ || steady::now() >= next) {
      beat_now_ = false;
      next = steady::now() + interval_;
      lock.unlock();
      (void)put();
      lock.lock();
      continue;
    }
    beat_cv_.wait_until(lock, next, [this] { return beat_stopping_ || beat_now_; });
  }
}

void member_heartbeat::stop_thread() {
  {
    std::lock_guard lock{beat_mutex_};
    beat_stopping_ = true;
  }
  beat_cv_.notify_all();
  if (beat_thread_.joinable())
    beat_thread_.join();
}

}  // namespace taskflow::cluster
