#include "runtime/node/node.hpp"

#include <chrono>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "cluster/membership/nats_membership.hpp"
#include "cluster/peers/peer_connections.hpp"
#include "cluster/placement/shard_table.hpp"
#include "messages/caf_types.hpp"
#include "messages/time/unix_clock.hpp"
#include "messages/trace/tracer.hpp"
#include "runtime/admin/domain_event_feed.hpp"
#include "runtime/admin/single_node_directory.hpp"
#include "runtime/atoms.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/blocking/thread_roles.hpp"
#include "runtime/clustering/cluster_join.hpp"
#include "runtime/clustering/membership_directory.hpp"
#include "runtime/identity/bootstrap_admin.hpp"
#include "runtime/identity/revocation_listener.hpp"
#include "runtime/identity/signing_keyring.hpp"
#include "runtime/node/backends.hpp"
#include "runtime/node/worker_services.hpp"
#include "runtime/notifications/live_listener.hpp"
#include "runtime/notifications/stream_warden.hpp"
#include "runtime/observability/build_info.hpp"
#include "runtime/observability/tracing/node_tracer.hpp"
#include "runtime/services/notification_feed_writer.hpp"
#include "runtime/services/projector.hpp"
#include "runtime/sharding/shard_key.hpp"
#include "runtime/sharding/shard_router.hpp"
#include "runtime/supervision/supervisor.hpp"

namespace taskflow::runtime {
struct node::impl {
  const config& cfg;
  const logger& log;
  metrics& stats;
  backends ports;
  caf::actor_system_config caf_config;
  // Outlives the actor system: actors that stop wait for their jobs.
  std::unique_ptr<blocking_pool> store_pool;
  // Webhook POSTs wait on receivers for up to their timeout: a pool of
  // their own keeps slow receivers from taking the store pool's threads.
  std::unique_ptr<blocking_pool> webhook_pool;
  std::shared_ptr<endpoint_breakers> webhook_breakers;
  std::unique_ptr<caf::actor_system> system;
  // Cluster mode only: membership, peer connections, entry and coordinator.
  cluster_presence cluster;
  std::shared_ptr<coordination_status> status = std::make_shared<coordination_status>();
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
  std::unique_ptr<webhook_gateway> webhooks;
  std::int64_t started_at_ms = clock::unix_now_ms();
  runtime_events events;
  // Who is in the cluster, for the admin API: the membership in a cluster,
  // this node alone otherwise.
  std::shared_ptr<const cluster_directory> directory;
  std::shared_ptr<single_node_directory> single;
  std::unique_ptr<admin_gateway> admin;
  std::unique_ptr<taskflow::ports::bus_subscription> domain_events;
  std::unique_ptr<live_notifications> live;
  std::unique_ptr<taskflow::ports::bus_subscription> live_listener;
  std::unique_ptr<notification_gateway> notifications;
  // This node's recent traces, and the tracer that fills them (installed
  // for the process while the node runs).
  std::shared_ptr<trace_buffer> traces = std::make_shared<trace_buffer>();
  std::shared_ptr<node_tracer> tracer;
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
    if (cluster.membership)
      cluster.membership->leave();
    for (auto* actor : {&root, &cluster.coordinator, &cluster.entry})
      if (*actor)
        caf::anon_send_exit(*actor, caf::exit_reason::user_shutdown);
    root = cluster.coordinator = cluster.entry = nullptr;
    identity_pool.reset();
    identity.reset();
    gateway.reset();
    idempotency.reset();
    webhooks.reset();
    admin.reset();
    revocations.reset();
    router.reset();
    cluster.router.reset();
    cluster.remote.reset();
    domain_events.reset();
    live_listener.reset();
    notifications.reset();
    // The actor system's destructor waits for every actor to finish; the
    // membership's watcher may still post to the coordinator until then.
    system.reset();
    webhook_pool.reset();
    store_pool.reset();
    cluster.membership.reset();
    if (tracer) {
      if (trace::installed() == tracer.get())
        trace::install(nullptr);
      tracer->close_exporter();
    }
  }

  ~impl() { stop_system(); }

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
    // Resolved on every commit so a restarted relay is found; a nudge lost
    // while it restarts is covered by its polling.
    outbox_relay_handle relay{*system};
    worker_wiring wiring{*system,
                         cfg,
                         log,
                         stats,
                         ports,
                         store_pool.get(),
                         webhook_pool.get(),
                         webhook_breakers,
                         admission,
                         directory,
                         [relay] {
                           if (auto current = relay.current())
                             caf::anon_send(current, nudge_atom::value);
                         },
                         [this](const char* kind, const std::string& key) { publish_lifecycle(kind, key); },
                         traces};
    auto all = worker_services(wiring);
    if (cfg.has_role("edge")) {
      stream_warden_deps warden{live.get(), revoked, clock::unix_now_ms, &stats};
      all.push_back({"stream_warden", stream_warden_name,
                     [warden](caf::actor_system& s) { return s.spawn(stream_warden, warden); }});
    }
    return all;
  }
};

caf::expected<std::unique_ptr<node>> node::start(const config& cfg, const logger& log, metrics& stats) {
  auto self = std::make_unique<impl>(cfg, log, stats);
  std::shared_ptr<otlp_exporter> exporter;
  if (cfg.otlp_endpoint) {
    otlp_exporter_config otlp;
    otlp.endpoint = *cfg.otlp_endpoint;
    otlp.service_version = std::string{version()};
    exporter = std::make_shared<otlp_exporter>(otlp, exporter_metrics(stats), &log);
  }
  self->tracer = std::make_shared<node_tracer>(node_tracer_config{cfg.node_id, cfg.trace_sample_ratio}, self->traces,
                                               std::move(exporter), stats);
  trace::install(self->tracer);
  auto opened = open_backends(cfg, log, stats);
  if (!opened)
    return opened.error();
  self->ports = std::move(*opened);
  for (const auto* shared : {projector_consumer, notification_consumer})
    if (auto declared = self->ports.bus->declare_consumer(shared, taskflow::ports::consumer_scope::shared); !declared)
      return declared.error();
  auto revocations =
      listen_for_revocations(*self->ports.bus, *self->ports.identities, cfg.node_id, self->revoked, self->api_keys);
  if (!revocations)
    return revocations.error();
  self->revocations = std::move(*revocations);
  auto* feed_target = self.get();
  auto domain_events = feed_domain_events(*self->ports.bus, cfg.node_id, self->started_at_ms,
                                          [feed_target](runtime_event e) { feed_target->publish(std::move(e)); });
  if (!domain_events)
    return domain_events.error();
  self->domain_events = std::move(*domain_events);
  self->live = std::make_unique<live_notifications>(
      live_limits{cfg.max_event_streams, cfg.max_event_streams_per_user, 256, 4096});
  // Only an edge serves streams, so only an edge listens for them.
  if (cfg.has_role("edge")) {
    auto live_listener = listen_for_live_notifications(*self->ports.bus, cfg.node_id, *self->live);
    if (!live_listener)
      return live_listener.error();
    self->live_listener = std::move(*live_listener);
  }

  std::optional<key_wrap> wrap;
  if (cfg.key_encryption_key_file) {
    auto loaded = key_wrap::from_file(*cfg.key_encryption_key_file);
    if (!loaded)
      return loaded.error();
    wrap = *loaded;
  }
  auto keys =
      cfg.jwt_private_key_file
          ? signing_keyring::from_pem_file(*cfg.jwt_private_key_file)
          : signing_keyring::from_store(*self->ports.credentials, clock::unix_now_ms(),
                                        std::chrono::duration_cast<std::chrono::milliseconds>(cfg.jwt_key_rotation),
                                        wrap ? &*wrap : nullptr);
  if (!keys)
    return caf::make_error(caf::sec::runtime_error,
                           "cannot load the token signing keys: " + ports::error_text(keys.error()));
  auto devices = std::make_shared<const device_tokens>(*keys, cfg.jwt_issuer);
  auto tokens = std::make_shared<access_token_codec>(
      std::move(*keys),
      token_settings{cfg.jwt_issuer, cfg.jwt_audience, std::chrono::seconds{30}, cfg.access_token_ttl});

  bool clustered = cfg.nats.has_value();
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
  self->webhook_pool = std::make_unique<blocking_pool>(cfg.webhook_threads, 1024);
  breaker_options webhook_breaker{cfg.webhook_breaker_failures, cfg.webhook_breaker_open, 1};
  self->webhook_breakers = std::make_shared<endpoint_breakers>(
      webhook_breaker, steady_clock_source(),
      [&stats, &log](const std::string& endpoint, breaker_state from, breaker_state to) {
        stats.webhook_breaker_state.Add({{"endpoint", endpoint}}).Set(static_cast<double>(to));
        nlohmann::json fields{
            {"endpoint", endpoint}, {"from", breaker_state_name(from)}, {"to", breaker_state_name(to)}};
        if (to == breaker_state::open)
          log.warn("webhook_breaker_opened", fields);
        else
          log.info("webhook_breaker_changed", fields);
      });
  self->system = std::make_unique<caf::actor_system>(self->caf_config);
  if (clustered) {
    log.info("startup_step_begin", {{"step", "cluster"}});
    auto began = std::chrono::steady_clock::now();
    auto* target = self.get();
    cluster_join_env env{*self->system,
                         cfg,
                         log,
                         stats,
                         self->status,
                         [target](const std::string& kind, nlohmann::json detail) {
                           target->publish({0, kind, "", 0, detail.dump()});
                         },
                         [target](const caf::error& reason) {
                           target->healthy = false;
                           target->log.error("cluster_coordinator_failed", {{"reason", caf::to_string(reason)}});
                         }};
    if (auto joined = join_cluster(env, self->cluster); !joined)
      return joined.error();
    self->router = self->cluster.router;
    self->admission = self->cluster.admission;
    log.info(
        "startup_step",
        {{"step", "cluster"},
         {"ms",
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count()}});
  } else {
    self->admission = std::make_shared<shard_admission>(cfg.shard_count, shard_access::serve);
    self->router = std::make_shared<shard_router>(shard_host_handle{*self->system}, cfg.node_id,
                                                  cluster::single_node_table(cfg.node_id, cfg.shard_count), nullptr);
  }
  shard_request_env routing{self->router, &stats};
  self->gateway = std::make_unique<task_gateway>(*self->system, *self->store_pool, self->ports.queries, routing);
  self->gateway->set_assignee_check(std::make_shared<assignee_check>(self->ports.identities));
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
      identity_dependencies{self->ports.identities, self->ports.credentials, std::move(tokens), std::move(devices),
                            self->revoked, self->api_keys,
                            identity_settings{cfg.access_token_ttl, cfg.session_ttl, cfg.request_timeout},
                            password_hasher{}},
      *self->identity_pool, routing);
  // The lease outlives any request (its deadline plus time to store the
  // answer), so only a crashed request's claim ever lapses.
  idempotency_policy idem_policy;
  idem_policy.lease = cfg.request_timeout + std::chrono::seconds{5};
  self->idempotency = std::make_unique<idempotency_gateway>(*self->store_pool, self->ports.idempotency, idem_policy,
                                                            clock::unix_now_ms);
  self->webhooks = std::make_unique<webhook_gateway>(*self->store_pool, self->ports.webhooks, self->webhook_breakers,
                                                     cfg.webhook_allow_private, clock::unix_now_ms);
  if (self->cluster.membership) {
    self->directory = std::make_shared<membership_directory>(
        admin_agent_handle{*self->system}, cfg.cluster, self->cluster.membership, self->router, self->cluster.remote);
  } else {
    self->single = std::make_shared<single_node_directory>(admin_agent_handle{*self->system}, cfg, self->started_at_ms);
    self->directory = self->single;
  }
  self->admin = std::make_unique<admin_gateway>(*self->system, self->directory, self->traces);
  self->notifications = std::make_unique<notification_gateway>(self->ports.notifications, *self->store_pool);

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
  // Start-up work that talks to actors needs them running: the supervisor
  // answers only once it has started its children.
  auto until = std::chrono::steady_clock::now() + cfg.request_timeout;
  caf::scoped_actor waiter{*self->system};
  waiter->request(self->root, cfg.request_timeout, caf::get_atom::value)
      .receive([](std::size_t) {},
               [&log](const caf::error& e) {
                 log.warn("supervisor_not_answering", {{"reason", caf::to_string(e)}});
               });
  if (self->cluster.membership) {
    // Up only now: a worker takes shards once its shard host runs.
    self->cluster.membership->set_state(cluster::member_state::up);
    self->status->wait_until(until, [raw] { return raw->router->has_owners(); });
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
  if (self->cluster.membership) {
    started["cluster"] = cfg.cluster;
    started["cluster_address"] = self->cluster.membership->self().cluster_address;
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

webhook_gateway& node::webhooks() {
  return *self_->webhooks;
}

admin_gateway& node::admin() {
  return *self_->admin;
}

notification_gateway& node::notifications() {
  return *self_->notifications;
}

live_notifications& node::live() {
  return *self_->live;
}

runtime_events& node::events() {
  return self_->events;
}

void node::publish(runtime_event event) {
  self_->publish(std::move(event));
}

void node::set_http_address(std::string address) {
  if (self_->cluster.membership)
    self_->cluster.membership->set_http_address(std::move(address));
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
  if (!self_->cluster.membership)
    return;
  self_->log.info("leaving", {{"node_id", self_->cfg.node_id}});
  self_->cluster.membership->set_state(cluster::member_state::leaving);
  auto& status = *self_->status;
  status.wait_until(std::chrono::steady_clock::now() + timeout, [&status] {
    return status.holds_nothing && status.acknowledged == status.epoch && status.epoch != 0;
  });
  self_->log.info("handed_off", {{"complete", status.holds_nothing.load()}});
}

void node::stop() {
  self_->stop_system();
}

}  // namespace taskflow::runtime
