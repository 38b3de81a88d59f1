#include "cluster/membership/nats_membership.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include <caf/sec.hpp>

#include "actors/ports/store_error.hpp"
#include "cluster/membership/member_heartbeat.hpp"
#include "cluster/membership/membership_buckets.hpp"
#include "cluster/membership/membership_watcher.hpp"
#include "cluster/nats/nats_handles.hpp"

namespace taskflow::cluster {
namespace {

using namespace std::chrono_literals;
using steady = membership_clock;

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

steady::duration fence_after(const membership_options& o) {
  return o.fence_after.count() > 0 ? steady::duration{o.fence_after} : steady::duration{o.ttl * 2 / 3};
}

caf::error check(const membership_options& o, const member_record& self) {
  if (!valid_bucket_part(o.cluster))
    return invalid("cluster name '" + o.cluster + "' must be letters, digits, '_' or '-'");
  if (!valid_key(self.id))
    return invalid("node id '" + self.id + "' must be letters, digits and '-', '_', '.', '=', '/'");
  if (o.shard_count == 0)
    return invalid("the shard count must be at least 1");
  if (o.heartbeat.count() <= 0 || o.heartbeat >= o.ttl)
    return invalid("the membership heartbeat (" + std::to_string(o.heartbeat.count()) +
                   " ms) must be positive and shorter than the ttl (" + std::to_string(o.ttl.count()) + " ms)");
  if (fence_after(o) + o.heartbeat / 2 >= o.ttl)
    return invalid("fence_after plus half a heartbeat must stay below the membership ttl");
  return {};
}

caf::expected<nats::connection_ptr> connect(const membership_options& o, const std::string& self_id) {
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
  auto name = "taskflow-membership " + self_id;
  natsOptions_SetName(opts.get(), name.c_str());
  natsConnection* nc = nullptr;
  if (auto s = natsConnection_Connect(&nc, opts.get()); s != NATS_OK)
    return nats::error("cannot connect to NATS at " + o.url, s);
  return nats::connection_ptr{nc};
}

caf::expected<nats::js_ptr> jetstream(natsConnection* nc, std::chrono::milliseconds wait) {
  jsOptions js_opts;
  jsOptions_Init(&js_opts);
  js_opts.Wait = wait.count();
  jsCtx* js = nullptr;
  if (auto s = natsConnection_JetStream(&js, nc, &js_opts); s != NATS_OK)
    return nats::error("cannot open a JetStream context", s);
  return nats::js_ptr{js};
}

}  // namespace

// Declared in the order they are made; destroyed the other way round, so
// the threads stop before the handles they use close.
struct nats_membership::impl {
  membership_options options;
  std::string bucket;
  nats::connection_ptr connection;
  nats::js_ptr js;       // waits connect_timeout: setup, watch, delete
  nats::js_ptr beat_js;  // waits heartbeat / 2, so a dead link cannot stall the heartbeat
  nats::kv_ptr kv;
  nats::kv_ptr beat_kv;
  std::unique_ptr<member_heartbeat> heartbeat;
  std::unique_ptr<membership_watcher> watcher;
};

caf::expected<std::unique_ptr<nats_membership>> nats_membership::open(membership_options options, member_record self) {
  if (auto err = check(options, self))
    return err;
  auto state = std::make_unique<impl>();
  state->options = std::move(options);
  const auto& o = state->options;
  state->bucket = members_bucket_name(o.cluster);

  auto connection = connect(o, self.id);
  if (!connection)
    return connection.error();
  state->connection = std::move(*connection);
  auto js = jetstream(state->connection.get(), o.connect_timeout);
  if (!js)
    return js.error();
  state->js = std::move(*js);
  auto beat_js = jetstream(state->connection.get(), std::max<std::chrono::milliseconds>(o.heartbeat / 2, 1ms));
  if (!beat_js)
    return beat_js.error();
  state->beat_js = std::move(*beat_js);

  if (auto err = agree_shard_count(state->js.get(), o.cluster, o.shard_count))
    return err;
  auto kv = open_members_bucket(state->js.get(), o.cluster, o.ttl);
  if (!kv)
    return kv.error();
  state->kv = std::move(*kv);
  kvStore* beat_kv = nullptr;
  if (auto s = js_KeyValue(&beat_kv, state->beat_js.get(), state->bucket.c_str()); s != NATS_OK)
    return nats::error("cannot open key-value bucket " + state->bucket, s);
  state->beat_kv.reset(beat_kv);

  state->watcher = std::make_unique<membership_watcher>(watch_options{self.id, o.shard_count, o.ttl, o.connect_timeout},
                                                        state->connection.get(), state->kv.get());
  state->heartbeat = std::make_unique<member_heartbeat>(std::move(self), state->kv.get(), state->beat_kv.get(),
                                                        o.heartbeat, fence_after(o));
  return std::unique_ptr<nats_membership>{new nats_membership(std::move(state))};
}

nats_membership::nats_membership(std::unique_ptr<impl> self) : self_(std::move(self)) {}

nats_membership::~nats_membership() {
  leave();
  self_->watcher->stop();
}

caf::expected<void> nats_membership::start(membership_handler on_change) {
  auto& s = *self_;
  if (!s.heartbeat->begin())
    return invalid("membership already started");
  auto until = steady::now() + s.options.startup_wait;
  for (std::chrono::milliseconds pause = 50ms;; pause = std::min<std::chrono::milliseconds>(pause * 2, 1s)) {
    auto put = s.heartbeat->put();
    if (put)
      break;
    if (steady::now() + pause >= until) {
      s.heartbeat->cancel();
      return put.error();
    }
    std::this_thread::sleep_for(pause);
  }
  s.watcher->start(std::move(on_change));
  s.heartbeat->run();
  if (!s.watcher->wait_synced(std::max(until, steady::now() + s.options.connect_timeout)))
    return ports::make_error(ports::store_errc::timeout,
                             "membership: could not read bucket " + s.bucket + " while starting");
  return caf::unit;
}

void nats_membership::set_state(member_state state) {
  self_->heartbeat->change([state](member_record& r) { r.state = state; });
}

void nats_membership::set_handoff_ack(std::uint64_t epoch) {
  self_->heartbeat->change_soon([epoch](member_record& r) { r.handoff_ack = epoch; });
}

void nats_membership::set_cluster_address(std::string address) {
  self_->heartbeat->change([&address](member_record& r) { r.cluster_address = std::move(address); });
}

void nats_membership::set_http_address(std::string address) {
  self_->heartbeat->change([&address](member_record& r) { r.http_address = std::move(address); });
}

membership_snapshot nats_membership::snapshot() const {
  return self_->watcher->snapshot();
}

member_record nats_membership::self() const {
  return self_->heartbeat->record();
}

bool nats_membership::in_contact() const {
  return self_->heartbeat->in_contact();
}

void nats_membership::leave() {
  self_->heartbeat->leave();
}

void nats_membership::abandon() {
  self_->heartbeat->abandon();
  self_->watcher->stop();
  natsConnection_Close(self_->connection.get());
}

std::uint64_t nats_membership::stored_revision() const {
  return self_->heartbeat->stored_revision();
}

std::uint64_t nats_membership::seen_revision() const {
  return self_->watcher->seen_revision();
}

const std::string& nats_membership::bucket() const {
  return self_->bucket;
}

}  // namespace taskflow::cluster
