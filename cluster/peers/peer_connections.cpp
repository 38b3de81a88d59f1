#include "cluster/peers/peer_connections.hpp"

#include <charconv>
#include <mutex>
#include <set>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

namespace taskflow::cluster {

using steady = std::chrono::steady_clock;

struct peer_connections::shared {
  struct entry {
    std::string address;  // empty while the node is known only by its offer
    caf::actor handle;
    caf::actor watcher;  // alive while dialing, or watching the handle
    std::uint64_t generation = 0;
    steady::time_point dial_after{};  // a redial pause, or the grace for an offer
  };
  std::string self_id;
  peer_timing timing;
  mutable std::mutex mutex;
  caf::actor own_entry;
  std::unordered_map<std::string, entry> nodes;
  std::uint64_t next_generation = 1;

  // When a node without a handle may be dialed, after `failed` or at first.
  steady::time_point dial_time(const std::string& id, bool failed) const {
    auto now = steady::now();
    if (!dials_first(self_id, id, own_entry != nullptr))
      return now + timing.offer_grace;
    return failed ? now + timing.redial_pause : now;
  }

  // A watcher reports under the generation it was started for, so a late
  // report about a replaced handle or address is ignored.
  void connected(const std::string& id, std::uint64_t generation, caf::actor handle) {
    std::lock_guard lock{mutex};
    auto it = nodes.find(id);
    if (it != nodes.end() && it->second.generation == generation)
      it->second.handle = std::move(handle);
  }

  void lost(const std::string& id, std::uint64_t generation) {
    std::lock_guard lock{mutex};
    auto it = nodes.find(id);
    if (it == nodes.end() || it->second.generation != generation)
      return;
    if (it->second.address.empty()) {
      nodes.erase(it);
      return;
    }
    it->second.handle = nullptr;
    it->second.watcher = nullptr;
    it->second.dial_after = dial_time(id, true);
  }
};

namespace {

void stop(caf::actor& watcher) {
  if (watcher)
    caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);
  watcher = nullptr;
}

// Never sent: a behavior that keeps a watcher alive, as CAF ends an actor
// that has none once it awaits no response.
using watch_atom = caf::atom_constant<caf::atom("watch")>;

// Reports the loss of `handle` (its node went down or the connection broke):
// the body of an offered entry's watcher, and a dialer's once it connected.
void watch(caf::event_based_actor* self, const std::shared_ptr<peer_connections::shared>& shared, const std::string& id,
           std::uint64_t generation, const caf::actor& handle) {
  self->monitor(handle);
  self->set_down_handler([self, shared, id, generation](caf::down_msg&) {
    shared->lost(id, generation);
    self->quit();
  });
  self->become([](watch_atom) {});
}

// Dials through the middleman actor (asynchronous, unlike
// middleman::remote_actor), offers this node's entry to the one reached, and
// then watches it.
void dialer(caf::event_based_actor* self, std::shared_ptr<peer_connections::shared> shared, std::string id,
            std::uint64_t generation, std::string host, std::uint16_t port, caf::actor own_entry, std::string self_id,
            std::chrono::milliseconds timeout) {
  auto mm = self->system().middleman().actor_handle();
  self->request(mm, timeout, caf::connect_atom::value, host, port)
      .then(
          [self, shared, id, generation, own_entry, self_id](const caf::node_id&, caf::strong_actor_ptr& ptr,
                                                             const std::set<std::string>&) {
            if (!ptr) {
              shared->lost(id, generation);
              self->quit();
              return;
            }
            auto handle = caf::actor_cast<caf::actor>(ptr);
            if (own_entry)
              self->send(handle, offer_atom::value, self_id, own_entry);
            watch(self, shared, id, generation, handle);
            shared->connected(id, generation, std::move(handle));
          },
          [self, shared, id, generation](caf::error&) {
            shared->lost(id, generation);
            self->quit();
          });
}

// Under shared->mutex.
void start_dialing(caf::actor_system& system, const std::shared_ptr<peer_connections::shared>& shared,
                   const std::string& node_id, peer_connections::shared::entry& e) {
  std::string host;
  std::uint16_t port = 0;
  if (!split_host_port(e.address, host, port))
    return;
  e.generation = shared->next_generation++;
  e.watcher = system.spawn<caf::hidden>(dialer, shared, node_id, e.generation, host, port, shared->own_entry,
                                        shared->self_id, shared->timing.connect_timeout);
}

}  // namespace

bool dials_first(const std::string& self_id, const std::string& peer_id, bool has_own_entry) {
  return !has_own_entry || self_id < peer_id;
}

bool split_host_port(const std::string& address, std::string& host, std::uint16_t& port) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size())
    return false;
  auto digits = std::string_view{address}.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0)
    return false;
  host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return true;
}

peer_connections::peer_connections(caf::actor_system& system, std::string self_id, peer_timing timing)
    : system_(system), shared_(std::make_shared<shared>()) {
  shared_->self_id = std::move(self_id);
  shared_->timing = timing;
}

peer_connections::~peer_connections() {
  std::lock_guard lock{shared_->mutex};
  for (auto& [id, e] : shared_->nodes)
    stop(e.watcher);
  shared_->nodes.clear();
}

void peer_connections::set_own_entry(caf::actor entry) {
  std::lock_guard lock{shared_->mutex};
  shared_->own_entry = std::move(entry);
}

void peer_connections::update(const std::unordered_map<std::string, std::string>& addresses) {
  std::lock_guard lock{shared_->mutex};
  for (auto it = shared_->nodes.begin(); it != shared_->nodes.end();) {
    auto now = addresses.find(it->first);
    // An offer may come before the membership shows its node; it stays
    // until its connection drops.
    bool offered_early = it->second.address.empty() && now == addresses.end();
    bool moved = now != addresses.end() && !it->second.address.empty() && now->second != it->second.address;
    if (!offered_early && (now == addresses.end() || moved)) {
      stop(it->second.watcher);
      it = shared_->nodes.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [id, address] : addresses) {
    if (address.empty())
      continue;
    auto [it, added] = shared_->nodes.try_emplace(id);
    auto& e = it->second;
    if (!added && !e.address.empty())
      continue;
    e.address = address;
    if (e.handle || e.watcher)
      continue;  // offered already
    e.dial_after = shared_->dial_time(id, false);
    // Dialed ahead of the first request, so neither it nor an admin call
    // waits for the handshake.
    if (e.dial_after <= steady::now())
      start_dialing(system_, shared_, id, e);
  }
}

void peer_connections::offered(const std::string& node_id, caf::actor entry) {
  if (!entry)
    return;
  std::lock_guard lock{shared_->mutex};
  if (node_id == shared_->self_id)
    return;
  auto& e = shared_->nodes[node_id];
  if (e.handle == entry)
    return;
  stop(e.watcher);
  e.handle = entry;
  e.generation = shared_->next_generation++;
  e.watcher = system_.spawn<caf::hidden>(watch, shared_, node_id, e.generation, std::move(entry));
}

caf::actor peer_connections::get(const std::string& node_id) {
  std::lock_guard lock{shared_->mutex};
  auto it = shared_->nodes.find(node_id);
  if (it == shared_->nodes.end())
    return nullptr;
  auto& e = it->second;
  if (e.handle || e.watcher || steady::now() < e.dial_after)
    return e.handle;
  start_dialing(system_, shared_, node_id, e);
  return nullptr;
}

std::size_t peer_connections::connected() const {
  std::lock_guard lock{shared_->mutex};
  std::size_t n = 0;
  for (const auto& [id, e] : shared_->nodes)
    n += e.handle ? 1 : 0;
  return n;
}

}  // namespace taskflow::cluster
