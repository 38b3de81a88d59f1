#include "cluster/routing/remote_gates.hpp"

#include <charconv>
#include <mutex>
#include <set>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

namespace taskflow::cluster {

struct remote_gates::shared {
  struct entry {
    std::string address;
    caf::actor handle;
    caf::actor connector;  // alive while connecting or watching the handle
    std::uint64_t generation = 0;
    std::chrono::steady_clock::time_point retry_after{};
  };
  mutable std::mutex mutex;
  std::unordered_map<std::string, entry> nodes;
  std::uint64_t next_generation = 1;

  // A connector reports under the generation it was started for, so a late
  // report about a replaced address is ignored.
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
    it->second.handle = nullptr;
    it->second.connector = nullptr;
    // A refused or dropped connection is retried soon, not in a tight loop.
    it->second.retry_after = std::chrono::steady_clock::now() + std::chrono::milliseconds{100};
  }
};

namespace {

void stop(caf::actor& connector) {
  if (connector)
    caf::anon_send_exit(connector, caf::exit_reason::user_shutdown);
  connector = nullptr;
}

// Connects through the middleman actor (asynchronous, unlike
// middleman::remote_actor), then watches the proxy so a lost connection
// drops the handle.
void connector(caf::event_based_actor* self, std::shared_ptr<remote_gates::shared> shared, std::string id,
               std::uint64_t generation, std::string host, std::uint16_t port, std::chrono::milliseconds timeout) {
  auto mm = self->system().middleman().actor_handle();
  self->request(mm, timeout, caf::connect_atom::value, host, port)
      .then(
          [self, shared, id, generation](const caf::node_id&, caf::strong_actor_ptr& ptr,
                                         const std::set<std::string>&) {
            if (!ptr) {
              shared->lost(id, generation);
              self->quit();
              return;
            }
            auto handle = caf::actor_cast<caf::actor>(ptr);
            self->monitor(handle);
            self->set_down_handler([self, shared, id, generation](caf::down_msg&) {
              shared->lost(id, generation);
              self->quit();
            });
            shared->connected(id, generation, std::move(handle));
          },
          [self, shared, id, generation](caf::error&) {
            shared->lost(id, generation);
            self->quit();
          });
}

// Under shared->mutex.
void start_connecting(caf::actor_system& system, const std::shared_ptr<remote_gates::shared>& shared,
                      std::chrono::milliseconds timeout, const std::string& node_id, remote_gates::shared::entry& e) {
  std::string host;
  std::uint16_t port = 0;
  if (!split_host_port(e.address, host, port))
    return;
  e.generation = shared->next_generation++;
  e.connector = system.spawn<caf::hidden>(connector, shared, node_id, e.generation, host, port, timeout);
}

}  // namespace

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

remote_gates::remote_gates(caf::actor_system& system, std::chrono::milliseconds connect_timeout)
    : system_(system), connect_timeout_(connect_timeout), shared_(std::make_shared<shared>()) {}

remote_gates::~remote_gates() {
  std::lock_guard lock{shared_->mutex};
  for (auto& [id, e] : shared_->nodes)
    stop(e.connector);
  shared_->nodes.clear();
}

void remote_gates::update(const std::unordered_map<std::string, std::string>& addresses) {
  std::lock_guard lock{shared_->mutex};
  for (auto it = shared_->nodes.begin(); it != shared_->nodes.end();) {
    auto now = addresses.find(it->first);
    if (now == addresses.end() || now->second != it->second.address) {
      stop(it->second.connector);
      it = shared_->nodes.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [id, address] : addresses)
    if (!address.empty() && !shared_->nodes.count(id)) {
      auto& e = shared_->nodes[id];
      e.address = address;
      // Connected ahead of the first request, so neither it nor an admin
      // call waits for the handshake.
      start_connecting(system_, shared_, connect_timeout_, id, e);
    }
}

caf::actor remote_gates::get(const std::string& node_id) {
  std::lock_guard lock{shared_->mutex};
  auto it = shared_->nodes.find(node_id);
  if (it == shared_->nodes.end())
    return nullptr;
  auto& e = it->second;
  if (e.handle || e.connector || std::chrono::steady_clock::now() < e.retry_after)
    return e.handle;
  start_connecting(system_, shared_, connect_timeout_, node_id, e);
  return nullptr;
}

std::size_t remote_gates::connected() const {
  std::lock_guard lock{shared_->mutex};
  std::size_t n = 0;
  for (const auto& [id, e] : shared_->nodes)
    n += e.handle ? 1 : 0;
  return n;
}

}  // namespace taskflow::cluster
