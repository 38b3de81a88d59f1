#include "runtime/node/node.hpp"

#include <chrono>
#include <thread>
#include <utility>

#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "actors/session/session_actor.hpp"
#include "actors/task/task_actor.hpp"
#include "actors/user/user_actor.hpp"
#include "cluster/membership/nats_membership.hpp"
#include "cluster/routing/remote_gates.hpp"
#include "cluster/routing/shard_table.hpp"
#include "messages/caf_types.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/admin/admin_json.hpp"
#include "runtime/admin/node_agent.hpp"
#include "runtime/admin/single_node_directory.hpp"
#include "runtime/atoms.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/blocking/thread_roles.hpp"
#include "runtime/clustering/cluster_coordinator.hpp"
#include "runtime/clustering/cluster_gate.hpp"
#include "runtime/clustering/membership_directory.hpp"
#include "runtime/identity/bootstrap_admin.hpp"
#include "runtime/identity/signing_keyring.hpp"
#include "runtime/node/backends.hpp"
#include "runtime/routing/shard_router.hpp"
#include "runtime/services/idempotency_sweeper.hpp"
#include "runtime/services/outbox_relay.hpp"
#include "runtime/services/projector.hpp"
#include "runtime/sharding/activation_table.hpp"
#include "runtime/sharding/shard_host.hpp"
#include "runtime/sharding/shard_key.hpp"
#include "runtime/supervision/supervisor.hpp"

namespace taskflow::runtime {
namespace {

// Every node hears every revocation, so each needs a consumer of its own.
std::string revocation_consumer(const config& cfg) {
  return "revocations-" + cfg.node_id;
}

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

// The admin stream shows every domain event on every node, so each node
// needs a consumer of its own, like revocations.
std::string admin_events_consumer(const config& cfg) {
  return "admin-events-" + cfg.node_id;
}

}  // namespace

struct node::impl {
  const config& cfg;
  const logger& log;
  metrics& stats;
  backends ports;
  caf::actor_system_config caf_config;
  // Outlives the actor system: actors that stop wait for their jobs.
  std::unique_ptr<blocking_pool> store_pool;
  std::unique_ptr<caf::actor_system> system;
  // Cluster mode only: membership, remote gates and the coordinator.
  std::shared_ptr<cluster::nats_membership> membership;
  std::shared_ptr<cluster::remote_gates> remote;
  std::shared_ptr<coordination_status> status = std::make_shared<coordination_status>();
  caf::actor coordinator;
  caf::actor gate;
  std::shared_ptr<shard_admission> admission;
  std::shared_ptr<shard_router> router;
  std::unique_ptr<task_gateway> gateway;
  std::shared_ptr<revocation_set> revoked = std::make_shared<revocation_set>();
  std::shared_ptr<api_key_cache> api_keys = std::make_shared<api_key_cache>();
  std::unique_ptr<taskflow::ports::bus_subscription> revocations;
  std::unique_ptr<identity_gateway> identity;
  // After the gateway, so it is drained before the services its jobs use go.
  std::unique_ptr<blocking_pool> identity_pool;
  std::unique_ptr<idempotency_gateway> idempotency;
  std::int64_t started_at_ms = clock::unix_now_ms();
  runtime_events events;
  // Who is in the cluster, for the admin API: the membership in a cluster,
  // this node alone otherwise.
  std::shared_ptr<const cluster_directory> directory;
  std::shared_ptr<single_node_directory> single;
  std::unique_ptr<admin_gateway> admin;
  std::unique_ptr<taskflow::ports::bus_subscription> domain_events;
  caf::actor root;
  std::atomic<bool> healthy{true};
  bool stopped = false;

  impl(const config& c, const logger& l, metrics& m) : cfg(c), log(l), stats(m) {}

  // Stops the supervision tree and the actor system. Idempotent.
  void stop_system() {
    if (stopped)
      return;
    stopped = true;
    // Leaving the bucket first lets the others take this node's shards at
    // once instead of after a ttl.
    if (membership)
      membership->leave();
    for (auto* actor : {&root, &coordinator, &gate})
      if (*actor)
        caf::anon_send_exit(*actor, caf::exit_reason::user_shutdown);
    root = coordinator = gate = nullptr;
    identity_pool.reset();
    identity.reset();
    gateway.reset();
    idempotency.reset();
    admin.reset();
    revocations.reset();
    router.reset();
    remote.reset();
    domain_events.reset();
    // The actor system's destructor waits for every actor to finish; the
    // membership's watcher may still post to the coordinator until then.
    system.reset();
    store_pool.reset();
    membership.reset();
  }

  ~impl() { stop_system(); }

  // Publishes the cluster gate (workers), joins the membership bucket in
  // state "joining" and starts the coordinator, which keeps the router's
  // shard table and the shard host's admission in step with the members.
  caf::expected<void> join_cluster() {
    bool worker = cfg.has_role("worker");
    auto started_at = clock::unix_now_ms();
    cluster::member_record record;
    record.id = cfg.node_id;
    record.roles = cfg.roles;
    record.http_address = cfg.listen.host + ":" + std::to_string(cfg.listen.port);
    record.started_at_ms = started_at;
    record.incarnation = static_cast<std::uint64_t>(started_at);
    remote = std::make_shared<cluster::remote_gates>(*system, cfg.node_id);
    if (worker) {
      auto listen = cfg.cluster_listen.value_or(host_port{"127.0.0.1", 0});
      gate = system->spawn(cluster_gate, cfg.node_id, remote);
      remote->set_own_gate(gate);
      auto port =
          system->middleman().publish(gate, listen.port, listen.host.empty() ? nullptr : listen.host.c_str(), true);
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
    membership = std::move(*opened);
    cluster::shard_table empty;
    empty.shard_count = cfg.shard_count;
    empty.owners.assign(cfg.shard_count, "");
    router = std::make_shared<shard_router>(*system, cfg.node_id,
                                            std::make_shared<const cluster::shard_table>(std::move(empty)), remote);
    if (worker)
      admission = std::make_shared<shard_admission>(cfg.shard_count, shard_access::foreign);
    cluster_coordinator_deps deps{cfg.node_id,
                                  admission,
                                  router,
                                  remote,
                                  membership,
                                  status,
                                  cfg.membership_ttl,
                                  cfg.handoff_timeout,
                                  &log,
                                  &stats,
                                  [this](const std::string& kind, nlohmann::json detail) {
                                    publish({0, kind, "", 0, detail.dump()});
                                  }};
    coordinator = system->spawn(cluster_coordinator, deps);
    coordinator->attach_functor([this](const caf::error& reason) {
      if (reason && reason != caf::exit_reason::user_shutdown) {
        healthy = false;
        log.error("cluster_coordinator_failed", {{"reason", caf::to_string(reason)}});
      }
    });
    auto target = coordinator;
    auto joined = membership->start(
        [target](const cluster::membership_snapshot& snapshot, const std::vector<std::string>& changes) {
          caf::anon_send(target, std::make_shared<const membership_update>(membership_update{snapshot, changes}));
        });
    if (!joined)
      return joined.error();
    // An embedded SQLite store lives in one process's data directory; a
    // second worker would serve its shards from a different, empty store.
    if (worker && !cfg.postgres) {
      for (const auto& m : membership->snapshot().members)
        if (m.id != cfg.node_id && m.is_worker()) {
          membership->leave();
          return caf::make_error(caf::sec::invalid_argument,
                                 "cluster '" + cfg.cluster + "' already has worker '" + m.id +
                                     "', and this worker runs on the embedded SQLite store, which cannot be "
                                     "shared: start every worker with --postgres");
        }
    }
    return caf::unit;
  }

  void publish(runtime_event event) {
    if (event.node.empty())
      event.node = cfg.node_id;
    if (event.at_ms == 0)
      event.at_ms = clock::unix_now_ms();
    events.publish(std::move(event));
  }

  void publish_lifecycle(const char* kind, const std::string& key) {
    auto slash = key.find('/');
    nlohmann::json data{{"type", key.substr(0, slash)},
                        {"id", key.substr(slash + 1)},
                        {"shard", shard_of(key, directory->shard_count())}};
    publish({0, kind, "", 0, data.dump()});
  }

  std::vector<child_spec> children() {
    // Resolved through the registry on every commit so a restarted relay is
    // found; a nudge lost while it restarts is covered by its polling.
    auto* sys = system.get();
    std::function<void()> nudge_relay = [sys] {
      if (auto relay = sys->registry().get<caf::actor>(outbox_relay_name))
        caf::anon_send(relay, nudge_atom::value);
    };
    auto task_deps = std::make_shared<const task::task_actor_deps>(
        task::task_actor_deps{ports.tasks, store_pool.get(), clock::unix_now_ms, nudge_relay, ports.history});
    user::user_actor_deps user_deps{ports.identities, store_pool.get(), clock::unix_now_ms, nudge_relay};
    session::session_actor_deps session_deps{ports.identities, store_pool.get(), clock::unix_now_ms, nudge_relay};
    shard_host_config host_cfg{cfg.actor_idle_timeout, cfg.max_resident_actors, {}, admission};
    // Keys are "<kind>/<uuid>"; the actor knows itself by the bare id.
    auto factory = activation_table({
        {"task",
         [task_deps](caf::local_actor* host, const std::string& id) {
           return caf::actor{host->spawn(task::task_actor, id, task_deps)};
         }},
        {"user",
         [user_deps](caf::local_actor* host, const std::string& id) {
           return caf::actor{host->spawn(user::user_actor, id, user_deps)};
         }},
        {"session",
         [session_deps](caf::local_actor* host, const std::string& id) {
           return caf::actor{host->spawn(session::session_actor, id, session_deps)};
         }},
    });
    shard_host_hooks hooks{
        [this](const std::string& key) {
          stats.activations.Increment();
          publish_lifecycle("activation", key);
        },
        [this](const std::string& key) {
          stats.passivations.Increment();
          publish_lifecycle("passivation", key);
        },
        [this](const std::string& key, const caf::error& reason) {
          stats.actor_crashes.Increment();
          log.warn("actor_crashed", {{"key", key}, {"reason", caf::to_string(reason)}});
        },
        [this](std::size_t resident) { stats.resident_actors.Set(static_cast<double>(resident)); },
    };
    outbox_relay_config relay_cfg;
    relay_cfg.poll_interval = cfg.outbox_poll_interval;
    outbox_relay_deps relay_deps{ports.outbox, ports.bus, store_pool.get(), &log, &stats};
    projector_deps projector_deps_{ports.projection, ports.bus, store_pool.get(), &log, &stats};
    idempotency_sweeper_deps sweeper_deps{ports.idempotency, store_pool.get(), clock::unix_now_ms, &log};
    node_agent_deps agent_deps{cfg.node_id, directory, ports.tasks, ports.identities, ports.history, store_pool.get()};

    if (!cfg.has_role("worker"))
      return {};
    return {
        {"shard_host", shard_host_name,
         [host_cfg, factory, hooks](caf::actor_system& s) { return s.spawn(shard_host, host_cfg, factory, hooks); }},
        {"projector", projector_name,
         [projector_deps_](caf::actor_system& s) { return s.spawn(projector, projector_deps_); }},
        {"outbox_relay", outbox_relay_name,
         [relay_cfg, relay_deps](caf::actor_system& s) { return s.spawn(outbox_relay, relay_cfg, relay_deps); }},
        {"idempotency_sweeper", idempotency_sweeper_name,
         [sweeper_deps](caf::actor_system& s) {
           return s.spawn(idempotency_sweeper, idempotency_sweeper_config{}, sweeper_deps);
         }},
        {"admin_agent", admin_agent_name,
         [agent_deps](caf::actor_system& s) { return s.spawn(node_agent, agent_deps); }},
    };
  }
};

caf::expected<std::unique_ptr<node>> node::start(const config& cfg, const logger& log, metrics& stats) {
  auto self = std::make_unique<impl>(cfg, log, stats);
  auto opened = open_backends(cfg, log, stats);
  if (!opened)
    return opened.error();
  self->ports = std::move(*opened);
  using taskflow::ports::consumer_scope;
  for (const auto& [name, scope] : {std::pair{std::string{projector_consumer}, consumer_scope::shared},
                                    std::pair{revocation_consumer(cfg), consumer_scope::node},
                                    std::pair{admin_events_consumer(cfg), consumer_scope::node}})
    if (auto declared = self->ports.bus->declare_consumer(name, scope); !declared)
      return declared.error();
  auto revocations = self->ports.bus->subscribe(
      revocation_consumer(cfg), [revoked = self->revoked, api_keys = self->api_keys](taskflow::ports::bus_delivery d) {
        if (d.event.has_session_revoked())
          revoked->revoke(d.event.aggregate_id(), d.event.session_revoked().revoke_until_ms());
        if (d.event.has_api_key_revoked())
          api_keys->evict(d.event.api_key_revoked().key_hash());
        d.ack();
      });
  if (!revocations)
    return revocations.error();
  self->revocations = std::move(*revocations);
  // A durable consumer replays what it missed while the node was down; the
  // admin stream is live, so only events from this run on are shown.
  auto* events_target = self.get();
  auto domain_events =
      self->ports.bus->subscribe(admin_events_consumer(cfg), [events_target](taskflow::ports::bus_delivery d) {
        if (d.event.occurred_at_ms() >= events_target->started_at_ms)
          events_target->publish({0, "domain_event", "", d.event.occurred_at_ms(), event_to_json(d.event).dump()});
        d.ack();
      });
  if (!domain_events)
    return domain_events.error();
  self->domain_events = std::move(*domain_events);
  auto already_revoked = self->ports.identities->revoked_sessions(clock::unix_now_ms());
  if (!already_revoked)
    return already_revoked.error();
  for (const auto& r : *already_revoked)
    self->revoked->revoke(r.session_id, r.revoke_until_ms);

  auto keys =
      cfg.jwt_private_key_file
          ? signing_keyring::from_pem_file(*cfg.jwt_private_key_file)
          : signing_keyring::from_store(*self->ports.credentials, clock::unix_now_ms(),
                                        std::chrono::duration_cast<std::chrono::milliseconds>(cfg.jwt_key_rotation));
  if (!keys)
    return caf::make_error(caf::sec::runtime_error,
                           "cannot load the token signing keys: " + ports::error_text(keys.error()));
  auto tokens = std::make_shared<access_token_codec>(
      std::move(*keys), token_settings{cfg.jwt_issuer, cfg.jwt_audience, std::chrono::seconds{30}});

  bool clustered = cfg.nats.has_value();
  bool worker = cfg.has_role("worker");
  messages::register_message_types(self->caf_config);
  self->caf_config.set("scheduler.max-threads", static_cast<std::size_t>(cfg.actor_threads));
  self->caf_config.set("logger.file-verbosity", caf::atom("quiet"));
  self->caf_config.set("logger.console-verbosity", caf::atom("quiet"));
  if (clustered) {
    self->caf_config.load<caf::io::middleman>();
    // Heartbeats on idle connections notice a peer that vanished without a
    // FIN (a partition) well before the membership ttl would.
    self->caf_config.set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds{500}});
  }
  self->caf_config.add_thread_hook<scheduler_thread_role>();
  self->store_pool = std::make_unique<blocking_pool>(cfg.store_threads, cfg.store_queue_limit,
                                                     &stats.store_calls_queued, &stats.store_calls_refused);
  self->system = std::make_unique<caf::actor_system>(self->caf_config);
  if (clustered) {
    log.info("startup_step_begin", {{"step", "cluster"}});
    auto began = std::chrono::steady_clock::now();
    if (auto joined = self->join_cluster(); !joined)
      return joined.error();
    log.info(
        "startup_step",
        {{"step", "cluster"},
         {"ms",
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count()}});
  } else {
    self->admission = std::make_shared<shard_admission>(cfg.shard_count, shard_access::serve);
    self->router = std::make_shared<shard_router>(*self->system, cfg.node_id,
                                                  cluster::single_node_table(cfg.node_id, cfg.shard_count), nullptr);
  }
  shard_request_env routing{self->router, &stats};
  self->gateway = std::make_unique<task_gateway>(*self->system, *self->store_pool, self->ports.queries, routing);
  auto checks = self->ports.checks;
  if (clustered) {
    // A fenced worker serves no shard and its view of the others decays, so
    // it can route nothing either: a load balancer should stop sending to it.
    checks.push_back(
        {"membership", true, [status = self->status] { return std::string{status->fenced ? "fenced" : "up"}; }});
  }
  self->gateway->set_dependencies(std::move(checks));
  // Argon2 takes a core for tens of milliseconds: two threads keep sign-ins
  // from crowding out store calls, and a bounded queue turns a flood away.
  self->identity_pool = std::make_unique<blocking_pool>(2, 1024);
  self->identity = std::make_unique<identity_gateway>(
      *self->system,
      identity_dependencies{
          self->ports.identities, self->ports.credentials, std::move(tokens), self->revoked, self->api_keys,
          identity_settings{cfg.access_token_ttl, cfg.session_ttl, cfg.request_timeout}, password_hasher{}},
      *self->identity_pool, routing);
  // The lease outlives any request (its deadline plus time to store the
  // answer), so only a crashed request's claim ever lapses.
  idempotency_policy idem_policy;
  idem_policy.lease = cfg.request_timeout + std::chrono::seconds{5};
  self->idempotency = std::make_unique<idempotency_gateway>(*self->store_pool, self->ports.idempotency, idem_policy,
                                                            clock::unix_now_ms);
  if (self->membership) {
    self->directory = std::make_shared<membership_directory>(*self->system, cfg.cluster, self->membership, self->router,
                                                             self->remote);
  } else {
    self->single = std::make_shared<single_node_directory>(*self->system, cfg, self->started_at_ms);
    self->directory = self->single;
  }
  self->admin = std::make_unique<admin_gateway>(*self->system, self->directory);

  auto* raw = self.get();
  restart_observer on_restart = [raw](const std::string& child, const caf::error& reason) {
    raw->stats.supervisor_restarts.Add({{"child", child}}).Increment();
    raw->log.warn("service_restarting", {{"child", child}, {"reason", caf::to_string(reason)}});
  };
  self->root = self->system->spawn(supervisor, self->children(), restart_policy{}, on_restart);
  self->root->attach_functor([raw](const caf::error& reason) {
    if (reason && reason != caf::exit_reason::user_shutdown) {
      raw->healthy = false;
      raw->log.error("supervision_failed", {{"reason", caf::to_string(reason)}});
    }
  });
  // The supervisor spawns its children from its own first message, after
  // spawn() returned; start-up work that talks to actors waits for them.
  auto until = std::chrono::steady_clock::now() + cfg.request_timeout;
  while (worker && !self->system->registry().get<caf::actor>(shard_host_name) &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  if (self->membership) {
    // Up only now: a worker takes shards once its shard host runs.
    self->membership->set_state(cluster::member_state::up);
    while (!self->router->has_owners() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  if (cfg.bootstrap_admin) {
    auto created =
        ensure_bootstrap_admin(*cfg.bootstrap_admin, self->identity->identities(), self->identity->accounts());
    if (!created) {
      self->stop_system();
      return created.error();
    }
    log.info("bootstrap_admin",
             {{"email", cfg.bootstrap_admin->substr(0, cfg.bootstrap_admin->find(':'))}, {"created", *created}});
  }
  const auto& summary = self->ports.summary;
  nlohmann::json started{{"store", summary.store}, {"bus", summary.bus}, {"cache", summary.cache}};
  started["node_id"] = cfg.node_id;
  started["roles"] = cfg.roles;
  if (self->membership) {
    started["cluster"] = cfg.cluster;
    started["cluster_address"] = self->membership->self().cluster_address;
  }
  started["actor_threads"] = cfg.actor_threads;
  log.info("node_started", started);
  return std::unique_ptr<node>{new node(std::move(self))};
}

node::node(std::unique_ptr<impl> self) : self_(std::move(self)) {}

node::~node() {
  stop();
}

task_gateway& node::gateway() {
  return *self_->gateway;
}

identity_gateway& node::identity() {
  return *self_->identity;
}

idempotency_gateway& node::idempotency() {
  return *self_->idempotency;
}

admin_gateway& node::admin() {
  return *self_->admin;
}

runtime_events& node::events() {
  return self_->events;
}

void node::publish(runtime_event event) {
  self_->publish(std::move(event));
}

void node::set_http_address(std::string address) {
  if (self_->membership)
    self_->membership->set_http_address(std::move(address));
  else
    self_->single->set_http_address(std::move(address));
}

const backend_summary& node::runs_on() const {
  return self_->ports.summary;
}

bool node::healthy() const {
  return self_->healthy;
}

void node::leave(std::chrono::milliseconds timeout) {
  if (!self_->membership)
    return;
  self_->log.info("leaving", {{"node_id", self_->cfg.node_id}});
  self_->membership->set_state(cluster::member_state::leaving);
  auto until = std::chrono::steady_clock::now() + timeout;
  auto& status = *self_->status;
  while (std::chrono::steady_clock::now() < until &&
         !(status.holds_nothing && status.acknowledged == status.epoch && status.epoch != 0))
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  self_->log.info("handed_off", {{"complete", status.holds_nothing.load()}});
}

void node::stop() {
  self_->stop_system();
}

}  // namespace taskflow::runtime
