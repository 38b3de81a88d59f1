#include "cluster/membership/membership_watcher.hpp"

#include <algorithm>

#include "actors/ports/store_error.hpp"

namespace taskflow::cluster {

using namespace std::chrono_literals;
using steady = membership_clock;

membership_watcher::membership_watcher(watch_options options, natsConnection* connection, kvStore* kv)
    : options_(std::move(options)), connection_(connection), kv_(kv) {}

membership_watcher::~membership_watcher() {
  stop();
}

void membership_watcher::start(membership_handler handler) {
  handler_ = std::move(handler);
  thread_ = std::thread{[this] { watch_loop(); }};
}

bool membership_watcher::wait_synced(steady::time_point until) {
  std::unique_lock lock{view_mutex_};
  return synced_cv_.wait_until(lock, until, [this] { return synced_; });
}

void membership_watcher::stop() {
  {
    std::lock_guard lock{watcher_mutex_};
    stopping_ = true;
  }
  if (thread_.joinable())
    thread_.join();
}

membership_snapshot membership_watcher::snapshot() const {
  membership_snapshot snap;
  snap.shard_count = options_.shard_count;
  snap.self_id = options_.self_id;
  std::lock_guard lock{view_mutex_};
  snap.members = view_.members();
  return snap;
}

std::uint64_t membership_watcher::seen_revision() const {
  return seen_revision_.load();
}

steady::duration membership_watcher::tick() const {
  return std::max<steady::duration>(options_.ttl / 5, 10ms);
}

bool membership_watcher::stopping() {
  std::lock_guard lock{watcher_mutex_};
  return stopping_;
}

bool membership_watcher::open_watcher() {
  std::lock_guard lock{watcher_mutex_};
  if (stopping_)
    return false;
  kvWatchOptions opts;
  kvWatchOptions_Init(&opts);
  opts.Timeout = options_.connect_timeout.count();
  return kvStore_WatchAll(&watcher_, kv_, &opts) == NATS_OK;
}

// Stopped, flushed, then freed: NATS.c 3.4's read loop may still hold the
// watcher's subscription, unreferenced, while processing a message for it
// (see pull_subscription in nats_event_bus.cpp); the PONG comes after it.
void membership_watcher::close_watcher() {
  std::lock_guard lock{watcher_mutex_};
  if (!watcher_)
    return;
  kvWatcher_Stop(watcher_);
  if (natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED)
    natsConnection_FlushTimeout(connection_, options_.connect_timeout.count());
  kvWatcher_Destroy(watcher_);
  watcher_ = nullptr;
}

// A record read while catching up with the bucket (at start, or after the
// watcher was reopened) may be old: count it as heard when the server
// stored it, as far as the wall clock tells, so a node that died a while
// ago does not look alive for another ttl. A clock that runs ahead only
// hides a live member until its next heartbeat.
steady::time_point membership_watcher::heard_at(kvEntry* entry, bool catching_up) const {
  auto now = steady::now();
  if (!catching_up)
    return now;
  auto stored = std::chrono::system_clock::time_point{std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::nanoseconds{kvEntry_Created(entry)})};
  auto age = std::chrono::duration_cast<steady::duration>(std::chrono::system_clock::now() - stored);
  return now - std::clamp<steady::duration>(age, steady::duration::zero(), options_.ttl);
}

// Applies one entry; adds a log line when the table changed.
void membership_watcher::apply(kvEntry* entry, bool catching_up, std::vector<std::string>& lines) {
  std::string key = kvEntry_Key(entry);
  auto op = kvEntry_Operation(entry);
  auto at = heard_at(entry, catching_up);
  if (op == kvOp_Put && key == options_.self_id)
    seen_revision_ = std::max<std::uint64_t>(seen_revision_, kvEntry_Revision(entry));
  std::lock_guard lock{view_mutex_};
  if (op == kvOp_Delete || op == kvOp_Purge) {
    if (auto change = view_.apply_delete(key, at))
      lines.push_back(describe(*change));
    return;
  }
  if (catching_up && steady::now() - at >= options_.ttl && !view_.find(key))
    return;  // lapsed already
  auto parsed = member_from_json(
      {static_cast<const char*>(kvEntry_Value(entry)), static_cast<std::size_t>(kvEntry_ValueLen(entry))});
  if (!parsed) {
    lines.push_back("ignored the record under key " + key + ": " + ports::error_text(parsed.error()));
    return;
  }
  if (parsed->id != key) {
    lines.push_back("ignored the record under key " + key + ": it names member " + parsed->id);
    return;
  }
  if (auto change = view_.apply_put(std::move(*parsed), at))
    lines.push_back(describe(*change));
}

void membership_watcher::notify(std::vector<std::string>& lines) {
  auto snap = snapshot();
  if (handler_)
    handler_(snap, lines);
  lines.clear();
}

void membership_watcher::watch_loop() {
  std::vector<std::string> lines;
  bool catching_up = true;
  bool announced = false;  // the first full table goes out even when empty
  auto next_check = steady::now() + tick();
  while (!stopping()) {
    if (!watcher_ && !open_watcher()) {
      // Reconnecting, or the server is down: lapses are still judged.
      std::this_thread::sleep_for(tick());
    } else if (watcher_) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_check - steady::now());
      kvEntry* raw = nullptr;
      auto s = kvWatcher_Next(&raw, watcher_, std::max<std::int64_t>(wait.count(), 1));
      nats::kv_entry_ptr entry{raw};
      if (s == NATS_OK && !entry) {
        catching_up = false;
        {
          std::lock_guard lock{view_mutex_};
          synced_ = true;
        }
        synced_cv_.notify_all();
      } else if (s == NATS_OK) {
        apply(entry.get(), catching_up, lines);
      } else if (s != NATS_TIMEOUT) {
        // Stopped, or the subscription failed: reopen after a pause, and
        // catch up again.
        close_watcher();
        catching_up = true;
        if (!stopping())
          std::this_thread::sleep_for(tick());
      }
    }
    if (steady::now() >= next_check) {
      next_check = steady::now() + tick();
      std::lock_guard lock{view_mutex_};
      for (const auto& change : view_.lapse(steady::now(), options_.ttl))
        lines.push_back(describe(change));
    }
    // The first call waits for the whole table; later ones go out as they
    // come, also while catching up again after a reopened watcher.
    if ((!announced && !catching_up) || (announced && !lines.empty())) {
      announced = true;
      notify(lines);
    }
  }
  close_watcher();
}

}  // namespace taskflow::cluster
