#include "runtime/clustering/cluster_join.hpp"

#include <array>

#include <unistd.h>

#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "cluster/placement/shard_table.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/clustering/cluster_coordinator.hpp"
#include "runtime/clustering/remote_entry.hpp"

namespace taskflow::runtime {
namespace {

// The address other nodes dial: the listen address, unless that is a
// wildcard, when it is this host's name (a pod's name resolves through the
// StatefulSet's headless service).
std::string advertised(const host_port& listen, std::uint16_t port) {
  auto host = listen.host;
  if (host.empty() || host == "0.0.0.0" || host == "::") {
    std::array<char, 256> name{};
    host = gethostname(name.data(), name.size() - 1) == 0 ? std::string{name.data()} : "localhost";
  }
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

}  // namespace

caf::expected<void> join_cluster(const cluster_join_env& env, cluster_presence& into) {
  const auto& cfg = env.cfg;
  bool worker = cfg.has_role("worker");
  auto started_at = clock::unix_now_ms();
  cluster::member_record record;
  record.id = cfg.node_id;
  record.roles = cfg.roles;
  record.http_address = cfg.listen.host + ":" + std::to_string(cfg.listen.port);
  record.started_at_ms = started_at;
  record.incarnation = static_cast<std::uint64_t>(started_at);
  into.remote = std::make_shared<cluster::peer_connections>(env.system, cfg.node_id);
  if (worker) {
    auto listen = cfg.cluster_listen.value_or(host_port{"127.0.0.1", 0});
    into.entry = env.system.spawn(
        remote_entry,
        remote_entry_deps{cfg.node_id, into.remote, shard_host_handle{env.system}, admin_agent_handle{env.system}});
    into.remote->set_own_entry(into.entry);
    auto port = env.system.middleman().publish(into.entry, listen.port,
                                               listen.host.empty() ? nullptr : listen.host.c_str(), true);
    if (!port)
      return caf::make_error(caf::sec::runtime_error, "cannot listen for cluster peers on " + listen.host + ":" +
                                                          std::to_string(listen.port) + ": " +
                                                          caf::to_string(port.error()));
    record.cluster_address = advertised(listen, *port);
  }
  cluster::membership_options options;
  options.url = *cfg.nats;
  options.cluster = cfg.cluster;
  options.shard_count = cfg.shard_count;
  options.heartbeat = cfg.heartbeat_interval;
  options.ttl = cfg.membership_ttl;
  auto opened = cluster::nats_membership::open(options, record);
  if (!opened)
    return opened.error();
  into.membership = std::move(*opened);
  cluster::shard_table empty;
  empty.shard_count = cfg.shard_count;
  empty.owners.assign(cfg.shard_count, "");
  into.router =
      std::make_shared<shard_router>(shard_host_handle{env.system}, cfg.node_id,
                                     std::make_shared<const cluster::shard_table>(std::move(empty)), into.remote);
  if (worker)
    into.admission = std::make_shared<shard_admission>(cfg.shard_count, shard_access::foreign);
  cluster_coordinator_deps deps{cfg.node_id,     into.admission, into.router,        into.remote,
                                into.membership, env.status,     cfg.membership_ttl, cfg.handoff_timeout,
                                &env.log,        &env.stats,     env.on_event};
  into.coordinator = env.system.spawn(cluster_coordinator, deps);
  into.coordinator->attach_functor([failed = env.on_coordinator_failed](const caf::error& reason) {
    if (reason && reason != caf::exit_reason::user_shutdown)
      failed(reason);
  });
  auto target = into.coordinator;
  auto joined = into.membership->start(
      [target](const cluster::membership_snapshot& snapshot, const std::vector<std::string>& changes) {
        caf::anon_send(target, std::make_shared<const membership_update>(membership_update{snapshot, changes}));
      });
  if (!joined)
    return joined.error();
  // An embedded SQLite store lives in one process's data directory; a
  // second worker would serve its shards from a different, empty store.
  if (worker && !cfg.postgres) {
    for (const auto& m : into.membership->snapshot().members)
      if (m.id != cfg.node_id && m.is_worker()) {
        into.membership->leave();
        return caf::make_error(caf::sec::invalid_argument,
                               "cluster '" + cfg.cluster + "' already has worker '" + m.id +
                                   "', and this worker runs on the embedded SQLite store, which cannot be "
                                   "shared: start every worker with --postgres");
      }
  }
  return caf::unit;
}

}  // namespace taskflow::runtime
