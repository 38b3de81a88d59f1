#include "cluster/membership/nats_membership.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

#include "actors/ports/store_error.hpp"
#include "cluster/membership/membership_view.hpp"
#include "cluster/nats/nats_handles.hpp"

namespace taskflow::cluster {
namespace {

using namespace std::chrono_literals;
using steady = membership_clock;

constexpr const char* cluster_key = "cluster";

caf::error invalid(std::string message) {
  return caf::make_error(caf::sec::invalid_argument, std::move(message));
}

bool valid_bucket_part(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
}

// A KV key is [-/_=.A-Za-z0-9]+ with no empty token between dots; host names
// and StatefulSet pod names fit.
bool valid_key(const std::string& text) {
  if (text.empty() || text.front() == '.' || text.back() == '.' || text.find("..") != std::string::npos)
    return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == '=' || c == '/';
  });
}

std::int64_t ticks(steady::time_point t) {
  return t.time_since_epoch().count();
}

caf::expected<nats::kv_ptr> bind_or_create(jsCtx* js, kvConfig& cfg) {
  kvStore* raw = nullptr;
  auto s = js_KeyValue(&raw, js, cfg.Bucket);
  if (s == NATS_NOT_FOUND) {
    // Two nodes may race to create it; the loser binds to the winner's.
    s = js_CreateKeyValue(&raw, js, &cfg);
    if (s != NATS_OK)
      s = js_KeyValue(&raw, js, cfg.Bucket);
  }
  if (s != NATS_OK)
    return nats::error(std::string{"cannot open key-value bucket "} + cfg.Bucket, s);
  return nats::kv_ptr{raw};
}

// The first node records the cluster's shard count; every later one must agree.
caf::error agree_shard_count(kvStore* kv, const std::string& cluster, const std::string& bucket,
                             std::uint32_t shard_count) {
  auto ours = nlohmann::json{{"shard_count", shard_count}}.dump();
  std::uint64_t rev = 0;
  kvEntry* raw = nullptr;
  // A bucket that another node created a moment ago can answer "no
  // responders" until its stream is ready (seen with workers started at
  // once): start-up waits a little for it rather than fail.
  auto until = steady::now() + std::chrono::seconds{5};
  for (;;) {
    auto created = kvStore_Create(&rev, kv, cluster_key, ours.data(), static_cast<int>(ours.size()));
    if (created == NATS_OK)
      return {};
    auto read = kvStore_Get(&raw, kv, cluster_key);
    if (read == NATS_OK)
      break;
    bool transient = (created == NATS_NO_RESPONDERS || created == NATS_TIMEOUT) &&
                     (read == NATS_NO_RESPONDERS || read == NATS_TIMEOUT || read == NATS_NOT_FOUND);
    if (!transient || steady::now() >= until)
      return nats::error("cannot record or read the shard count of cluster '" + cluster + "'", created);
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  nats::kv_entry_ptr entry{raw};
  auto j = nlohmann::json::parse(kvEntry_ValueString(entry.get()), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("shard_count") || !j["shard_count"].is_number_unsigned())
    return invalid("cluster '" + cluster + "' has an unreadable shard count in bucket " + bucket + ": " +
                   kvEntry_ValueString(entry.get()));
  auto theirs = j["shard_count"].get<std::uint64_t>();
  if (theirs != shard_count)
    return invalid("cluster '" + cluster + "' has " + std::to_string(theirs) + " shards, this node is configured for " +
                   std::to_string(shard_count) + "; start it with the cluster's shard count (or delete bucket " +
                   bucket + " once every node of the cluster has stopped)");
  return {};
}

}  // namespace

std::vector<std::string> membership_snapshot::up_workers() const {
  std::vector<std::string> out;
  for (const auto& m : members)
    if (m.state == member_state::up && m.is_worker())
      out.push_back(m.id);
  return out;
}

struct nats_membership::impl {
  membership_options options;
  std::string bucket;
  nats::connection_ptr connection;
  nats::js_ptr js;       // waits connect_timeout: setup, watch, delete
  nats::js_ptr beat_js;  // waits heartbeat / 2, so a dead link cannot stall the heartbeat
  nats::kv_ptr kv;
  nats::kv_ptr beat_kv;

  mutable std::mutex record_mutex;
  member_record record;
  bool started = false;
  bool left = false;
  // Held across a put, so the last put always carries the latest record.
  std::mutex put_mutex;
  // Steady time at which the last acknowledged put was sent. Sent, not
  // acknowledged: the others heard it no earlier, which is what fencing needs.
  std::atomic<std::int64_t> last_contact{std::numeric_limits<std::int64_t>::min()};
  std::atomic<std::uint64_t> stored_revision{0};
  std::atomic<std::uint64_t> seen_revision{0};

  std::mutex beat_mutex;
  std::condition_variable beat_cv;
  bool beat_stopping = false;
  bool beat_now = false;  // a record change waits for the heartbeat thread's put
  std::thread beat_thread;

  mutable std::mutex view_mutex;
  membership_view view;
  bool synced = false;
  std::condition_variable synced_cv;

  // The watch thread alone touches the watcher: kvWatcher_Stop from another
  // thread while kvWatcher_Next is waiting leaks the message that arrives in
  // between (NATS.c 3.4, still so in 3.7). Each wait is at most one tick, so
  // stop_watching() only raises the flag.
  std::mutex watcher_mutex;
  kvWatcher* watcher = nullptr;
  bool watch_stopping = false;
  std::thread watch_thread;
  membership_handler handler;

  steady::duration fence_after() const {
    return options.fence_after.count() > 0 ? steady::duration{options.fence_after}
                                           : steady::duration{options.ttl * 2 / 3};
  }
  steady::duration tick() const { return std::max<steady::duration>(options.ttl / 5, 10ms); }

  caf::expected<void> put_self() {
    std::lock_guard put_lock{put_mutex};
    std::string key;
    std::string json;
    {
      std::lock_guard lock{record_mutex};
      if (!started || left)
        return caf::unit;
      key = record.id;
      json = to_json(record);
    }
    auto sent = steady::now();
    std::uint64_t rev = 0;
    if (auto s = kvStore_Put(&rev, beat_kv.get(), key.c_str(), json.data(), static_cast<int>(json.size()));
        s != NATS_OK)
      return nats::error("cannot put member record " + key, s);
    // Puts are serialised, so these only move forward.
    last_contact = ticks(sent);
    stored_revision = rev;
    return caf::unit;
  }

  std::string record_key() const {
    std::lock_guard lock{record_mutex};
    return record.id;
  }

  template <class F>
  void change_record(F&& change) {
    {
      std::lock_guard lock{record_mutex};
      change(record);
    }
    // A failed put is retried by the next heartbeat.
    (void)put_self();
  }

  // A put may wait up to half a heartbeat for the server, so callers that
  // must not block (the coordinator actor) leave it to the heartbeat thread.
  template <class F>
  void change_record_soon(F&& change) {
    {
      std::lock_guard lock{record_mutex};
      change(record);
    }
    {
      std::lock_guard lock{beat_mutex};
      beat_now = true;
    }
    beat_cv.notify_all();
  }

  void beat_loop() {
    std::unique_lock lock{beat_mutex};
    // start() has just put the record.
    auto next = steady::now() + options.heartbeat;
    while (!beat_stopping) {
      if (beat_now || steady::now() >= next) {
        beat_now = false;
        next = steady::now() + options.heartbeat;
        lock.unlock();
        (void)put_self();
        lock.lock();
        continue;
      }
      beat_cv.wait_until(lock, next, [this] { return beat_stopping || beat_now; });
    }
  }

  void stop_heartbeat() {
    {
      std::lock_guard lock{beat_mutex};
      beat_stopping = true;
    }
    beat_cv.notify_all();
    if (beat_thread.joinable())
      beat_thread.join();
  }

  void stop_watching() {
    {
      std::lock_guard lock{watcher_mutex};
      watch_stopping = true;
    }
    if (watch_thread.joinable())
      watch_thread.join();
  }

  bool watch_stopped() {
    std::lock_guard lock{watcher_mutex};
    return watch_stopping;
  }

  bool open_watcher() {
    std::lock_guard lock{watcher_mutex};
    if (watch_stopping)
      return false;
    kvWatchOptions opts;
    kvWatchOptions_Init(&opts);
    opts.Timeout = options.connect_timeout.count();
    return kvStore_WatchAll(&watcher, kv.get(), &opts) == NATS_OK;
  }

  // Stopped, flushed, then freed: NATS.c 3.4's read loop may still hold the
  // watcher's subscription, unreferenced, while processing a message for it
  // (see pull_subscription in nats_event_bus.cpp); the PONG comes after it.
  void close_watcher() {
    std::lock_guard lock{watcher_mutex};
    if (!watcher)
      return;
    kvWatcher_Stop(watcher);
    if (natsConnection_Status(connection.get()) == NATS_CONN_STATUS_CONNECTED)
      natsConnection_FlushTimeout(connection.get(), options.connect_timeout.count());
    kvWatcher_Destroy(watcher);
    watcher = nullptr;
  }

  // A record read while catching up with the bucket (at start, or after the
  // watcher was reopened) may be old: count it as heard when the server
  // stored it, as far as the wall clock tells, so a node that died a while
  // ago does not look alive for another ttl. A clock that runs ahead only
  // hides a live member until its next heartbeat.
  steady::time_point heard_at(kvEntry* entry, bool catching_up) const {
    auto now = steady::now();
    if (!catching_up)
      return now;
    auto stored = std::chrono::system_clock::time_point{std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::nanoseconds{kvEntry_Created(entry)})};
    auto age = std::chrono::duration_cast<steady::duration>(std::chrono::system_clock::now() - stored);
    return now - std::clamp<steady::duration>(age, steady::duration::zero(), options.ttl);
  }

  // Applies one entry; adds a log line when the table changed.
  void apply(kvEntry* entry, bool catching_up, std::vector<std::string>& lines) {
    std::string key = kvEntry_Key(entry);
    auto op = kvEntry_Operation(entry);
    auto at = heard_at(entry, catching_up);
    if (op == kvOp_Put && key == record_key())
      seen_revision = std::max<std::uint64_t>(seen_revision, kvEntry_Revision(entry));
    std::lock_guard lock{view_mutex};
    if (op == kvOp_Delete || op == kvOp_Purge) {
      if (auto change = view.apply_delete(key, at))
        lines.push_back(describe(*change));
      return;
    }
    if (catching_up && steady::now() - at >= options.ttl && !view.find(key))
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
    if (auto change = view.apply_put(std::move(*parsed), at))
      lines.push_back(describe(*change));
  }

  void notify(std::vector<std::string>& lines) {
    auto snap = snapshot();
    if (handler)
      handler(snap, lines);
    lines.clear();
  }

  void watch_loop() {
    std::vector<std::string> lines;
    bool catching_up = true;
    bool announced = false;  // the first full table goes out even when empty
    auto next_check = steady::now() + tick();
    while (!watch_stopped()) {
      if (!watcher && !open_watcher()) {
        // Reconnecting, or the server is down: lapses are still judged.
        std::this_thread::sleep_for(tick());
      } else if (watcher) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_check - steady::now());
        kvEntry* raw = nullptr;
        auto s = kvWatcher_Next(&raw, watcher, std::max<std::int64_t>(wait.count(), 1));
        nats::kv_entry_ptr entry{raw};
        if (s == NATS_OK && !entry) {
          catching_up = false;
          {
            std::lock_guard lock{view_mutex};
            synced = true;
          }
          synced_cv.notify_all();
        } else if (s == NATS_OK) {
          apply(entry.get(), catching_up, lines);
        } else if (s != NATS_TIMEOUT) {
          // Stopped, or the subscription failed: reopen after a pause, and
          // catch up again.
          close_watcher();
          catching_up = true;
          if (!watch_stopped())
            std::this_thread::sleep_for(tick());
        }
      }
      if (steady::now() >= next_check) {
        next_check = steady::now() + tick();
        std::lock_guard lock{view_mutex};
        for (const auto& change : view.lapse(steady::now(), options.ttl))
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

  membership_snapshot snapshot() const {
    membership_snapshot snap;
    snap.shard_count = options.shard_count;
    snap.self_id = record_key();
    std::lock_guard lock{view_mutex};
    snap.members = view.members();
    return snap;
  }
};

caf::expected<std::unique_ptr<nats_membership>> nats_membership::open(membership_options options, member_record self) {
  if (!valid_bucket_part(options.cluster))
    return invalid("cluster name '" + options.cluster + "' must be letters, digits, '_' or '-'");
  if (!valid_key(self.id))
    return invalid("node id '" + self.id + "' must be letters, digits and '-', '_', '.', '=', '/'");
  if (options.shard_count == 0)
    return invalid("the shard count must be at least 1");
  if (options.heartbeat.count() <= 0 || options.heartbeat >= options.ttl)
    return invalid("the membership heartbeat (" + std::to_string(options.heartbeat.count()) +
                   " ms) must be positive and shorter than the ttl (" + std::to_string(options.ttl.count()) + " ms)");
  auto state = std::make_unique<impl>();
  state->options = std::move(options);
  state->record = std::move(self);
  if (state->fence_after() + state->options.heartbeat / 2 >= state->options.ttl)
    return invalid("fence_after plus half a heartbeat must stay below the membership ttl");
  const auto& o = state->options;
  state->bucket = "taskflow_members_" + o.cluster;

  natsOptions* raw_opts = nullptr;
  if (auto s = natsOptions_Create(&raw_opts); s != NATS_OK)
    return nats::error("cannot create NATS options", s);
  nats::options_ptr opts{raw_opts};
  natsOptions_SetURL(opts.get(), o.url.c_str());
  natsOptions_SetTimeout(opts.get(), o.connect_timeout.count());
  natsOptions_SetAllowReconnect(opts.get(), true);
  natsOptions_SetMaxReconnect(opts.get(), -1);
  natsOptions_SetReconnectWait(opts.get(), o.reconnect_wait.count());
  // A silently dead link (a partition) is noticed after two missed pings
  // rather than the default minutes, so the client reconnects once it heals.
  natsOptions_SetPingInterval(opts.get(), std::max<std::int64_t>(o.ttl.count(), 1000));
  natsOptions_SetMaxPingsOut(opts.get(), 2);
  auto name = "taskflow-membership " + state->record.id;
  natsOptions_SetName(opts.get(), name.c_str());
  natsConnection* nc = nullptr;
  if (auto s = natsConnection_Connect(&nc, opts.get()); s != NATS_OK)
    return nats::error("cannot connect to NATS at " + o.url, s);
  state->connection.reset(nc);

  jsOptions js_opts;
  jsOptions_Init(&js_opts);
  js_opts.Wait = o.connect_timeout.count();
  jsCtx* js = nullptr;
  if (auto s = natsConnection_JetStream(&js, nc, &js_opts); s != NATS_OK)
    return nats::error("cannot open a JetStream context", s);
  state->js.reset(js);
  js_opts.Wait = std::max<std::int64_t>(o.heartbeat.count() / 2, 1);
  if (auto s = natsConnection_JetStream(&js, nc, &js_opts); s != NATS_OK)
    return nats::error("cannot open a JetStream context", s);
  state->beat_js.reset(js);

  // The shard count outlives every member, so its bucket has no max age.
  auto config_bucket = "taskflow_cluster_" + o.cluster;
  kvConfig config_cfg;
  kvConfig_Init(&config_cfg);
  config_cfg.Bucket = config_bucket.c_str();
  config_cfg.History = 1;
  config_cfg.StorageType = js_FileStorage;
  auto config_kv = bind_or_create(state->js.get(), config_cfg);
  if (!config_kv)
    return config_kv.error();
  if (auto err = agree_shard_count(config_kv->get(), o.cluster, config_bucket, o.shard_count))
    return err;

  // File storage keeps stream sequences across a server restart, which the
  // watcher's ordered consumer resumes from. The max age only bounds what
  // crashed members leave behind; lapses are judged by the watchers.
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = state->bucket.c_str();
  cfg.History = 1;
  cfg.TTL = std::chrono::duration_cast<std::chrono::nanoseconds>(o.ttl * 4).count();
  cfg.StorageType = js_FileStorage;
  auto kv = bind_or_create(state->js.get(), cfg);
  if (!kv)
    return kv.error();
  state->kv = std::move(*kv);
  kvStore* beat_kv = nullptr;
  if (auto s = js_KeyValue(&beat_kv, state->beat_js.get(), state->bucket.c_str()); s != NATS_OK)
    return nats::error("cannot open key-value bucket " + state->bucket, s);
  state->beat_kv.reset(beat_kv);
  return std::unique_ptr<nats_membership>{new nats_membership(std::move(state))};
}

nats_membership::nats_membership(std::unique_ptr<impl> self) : self_(std::move(self)) {}

nats_membership::~nats_membership() {
  leave();
  self_->stop_watching();
}

caf::expected<void> nats_membership::start(membership_handler on_change) {
  auto& s = *self_;
  {
    std::lock_guard lock{s.record_mutex};
    if (s.started)
      return invalid("membership already started");
    s.started = true;
  }
  auto until = steady::now() + s.options.startup_wait;
  for (std::chrono::milliseconds pause = 50ms;; pause = std::min<std::chrono::milliseconds>(pause * 2, 1s)) {
    auto put = s.put_self();
    if (put)
      break;
    if (steady::now() + pause >= until) {
      std::lock_guard lock{s.record_mutex};
      s.started = false;
      return put.error();
    }
    std::this_thread::sleep_for(pause);
  }
  s.handler = std::move(on_change);
  s.watch_thread = std::thread{[&s] { s.watch_loop(); }};
  s.beat_thread = std::thread{[&s] { s.beat_loop(); }};
  std::unique_lock lock{s.view_mutex};
  if (!s.synced_cv.wait_until(lock, std::max(until, steady::now() + s.options.connect_timeout),
                              [&s] { return s.synced; }))
    return ports::make_error(ports::store_errc::timeout,
                             "membership: could not read bucket " + s.bucket + " while starting");
  return caf::unit;
}

void nats_membership::set_state(member_state state) {
  self_->change_record([state](member_record& r) { r.state = state; });
}

void nats_membership::set_handoff_ack(std::uint64_t epoch) {
  self_->change_record_soon([epoch](member_record& r) { r.handoff_ack = epoch; });
}

void nats_membership::set_cluster_address(std::string address) {
  self_->change_record([&address](member_record& r) { r.cluster_address = std::move(address); });
}

void nats_membership::set_http_address(std::string address) {
  self_->change_record([&address](member_record& r) { r.http_address = std::move(address); });
}

membership_snapshot nats_membership::snapshot() const {
  return self_->snapshot();
}

member_record nats_membership::self() const {
  std::lock_guard lock{self_->record_mutex};
  return self_->record;
}

bool nats_membership::in_contact() const {
  auto last = self_->last_contact.load();
  if (last == std::numeric_limits<std::int64_t>::min())
    return false;
  return ticks(steady::now()) - last < self_->fence_after().count();
}

void nats_membership::leave() {
  auto& s = *self_;
  {
    std::lock_guard lock{s.record_mutex};
    if (s.left)
      return;
    s.left = true;
  }
  s.stop_heartbeat();
  std::lock_guard put_lock{s.put_mutex};  // waits out a heartbeat in flight
  s.last_contact = std::numeric_limits<std::int64_t>::min();
  bool was_started = false;
  {
    std::lock_guard lock{s.record_mutex};
    was_started = s.started;
  }
  if (was_started)
    (void)kvStore_Delete(s.kv.get(), s.record_key().c_str());
}

void nats_membership::abandon() {
  auto& s = *self_;
  {
    std::lock_guard lock{s.record_mutex};
    s.left = true;
  }
  s.stop_heartbeat();
  s.stop_watching();
  std::lock_guard put_lock{s.put_mutex};
  s.last_contact = std::numeric_limits<std::int64_t>::min();
  natsConnection_Close(s.connection.get());
}

std::uint64_t nats_membership::stored_revision() const {
  return self_->stored_revision.load();
}

std::uint64_t nats_membership::seen_revision() const {
  return self_->seen_revision.load();
}

const std::string& nats_membership::bucket() const {
  return self_->bucket;
}

}  // namespace taskflow::cluster
