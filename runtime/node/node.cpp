#include "runtime/node/node.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "actors/task/task_actor.hpp"
#include "cluster/bus/local_event_bus.hpp"
#include "messages/caf_types.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/sqlite/sqlite_idempotency_store.hpp"
#include "persistence/sqlite/sqlite_store.hpp"
#include "runtime/atoms.hpp"
#include "runtime/services/idempotency_sweeper.hpp"
#include "runtime/services/outbox_relay.hpp"
#include "runtime/services/projector.hpp"
#include "runtime/sharding/shard_host.hpp"
#include "runtime/supervision/supervisor.hpp"

namespace taskflow::runtime {
struct node::impl {
  const config& cfg;
  const logger& log;
  metrics& stats;
  std::shared_ptr<persistence::sqlite_store> store;
  std::shared_ptr<cluster::local_event_bus> bus;
  caf::actor_system_config caf_config;
  std::unique_ptr<caf::actor_system> system;
  std::unique_ptr<task_gateway> gateway;
  std::shared_ptr<ports::idempotency_store> idempotency_store;
  std::unique_ptr<idempotency_gateway> idempotency;
  caf::actor root;
  std::atomic<bool> healthy{true};
  bool stopped = false;

  impl(const config& c, const logger& l, metrics& m) : cfg(c), log(l), stats(m) {}

  std::vector<child_spec> children() {
    task::task_actor_deps task_deps{store, clock::unix_now_ms, nullptr};
    // Resolved through the registry on every commit so a restarted relay is
    // found; a nudge lost while it restarts is covered by its polling.
    auto* sys = system.get();
    task_deps.on_committed = [sys] {
      if (auto relay = sys->registry().get<caf::actor>(outbox_relay_name))
        caf::anon_send(relay, nudge_atom::value);
    };
    shard_host_config host_cfg{cfg.actor_idle_timeout, cfg.max_resident_actors, {}};
    activation_factory factory = [task_deps](caf::local_actor* host, const std::string& key) {
      // Keys are "task/<uuid>"; the actor knows itself by the bare id.
      return host->spawn(task::task_actor, key.substr(key.find('/') + 1), task_deps);
    };
    shard_host_hooks hooks{
        [this] { stats.activations.Increment(); },
        [this] { stats.passivations.Increment(); },
        [this](const std::string& key, const caf::error& reason) {
          stats.actor_crashes.Increment();
          log.warn("actor_crashed", {{"key", key}, {"reason", caf::to_string(reason)}});
        },
        [this](std::size_t resident) { stats.resident_actors.Set(static_cast<double>(resident)); },
    };
    outbox_relay_config relay_cfg;
    relay_cfg.poll_interval = cfg.outbox_poll_interval;
    outbox_relay_deps relay_deps{store, bus, &log, &stats};
    projector_deps projector_deps_{store, bus, &log, &stats};
    idempotency_sweeper_deps sweeper_deps{idempotency_store, clock::unix_now_ms, &log};

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
    };
  }
};

caf::expected<std::unique_ptr<node>> node::start(const config& cfg, const logger& log, metrics& stats) {
  if (cfg.postgres || cfg.nats || cfg.redis)
    return caf::make_error(caf::sec::invalid_argument,
                           "--postgres, --nats and --redis need the production adapters, which this "
                           "build does not have yet; run without them for the embedded store");
  auto self = std::make_unique<impl>(cfg, log, stats);

  auto db_file = cfg.data_dir / "taskflow.db";
  auto store = persistence::sqlite_store::open(db_file);
  if (!store)
    return caf::make_error(caf::sec::runtime_error, "cannot open the embedded store " + db_file.string() + ": " +
                                                        ports::error_text(store.error()));
  self->store = std::move(*store);
  self->bus = std::make_shared<cluster::local_event_bus>();
  if (auto declared = self->bus->declare_consumer(projector_consumer); !declared)
    return declared.error();

  messages::register_message_types(self->caf_config);
  self->caf_config.set("scheduler.max-threads", static_cast<std::size_t>(cfg.actor_threads));
  self->caf_config.set("logger.file-verbosity", caf::atom("quiet"));
  self->caf_config.set("logger.console-verbosity", caf::atom("quiet"));
  self->system = std::make_unique<caf::actor_system>(self->caf_config);
  self->gateway = std::make_unique<task_gateway>(*self->system, self->store);
  self->idempotency_store = std::make_shared<persistence::sqlite_idempotency_store>(self->store);
  // The lease outlives any request (its deadline plus time to store the
  // answer), so only a crashed request's claim ever lapses.
  idempotency_policy idem_policy;
  idem_policy.lease = cfg.request_timeout + std::chrono::seconds{5};
  self->idempotency =
      std::make_unique<idempotency_gateway>(*self->system, self->idempotency_store, idem_policy, clock::unix_now_ms);

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
  log.info("node_started",
           {{"node_id", cfg.node_id}, {"store", db_file.string()}, {"actor_threads", cfg.actor_threads}});
  return std::unique_ptr<node>{new node(std::move(self))};
}

node::node(std::unique_ptr<impl> self) : self_(std::move(self)) {}

node::~node() {
  stop();
}

task_gateway& node::gateway() {
  return *self_->gateway;
}

idempotency_gateway& node::idempotency() {
  return *self_->idempotency;
}

bool node::healthy() const {
  return self_->healthy;
}

void node::stop() {
  if (self_->stopped)
    return;
  self_->stopped = true;
  caf::anon_send_exit(self_->root, caf::exit_reason::user_shutdown);
  self_->root = nullptr;
  self_->gateway.reset();
  self_->idempotency.reset();
  // The actor system's destructor waits for every actor to finish.
  self_->system.reset();
}

}  // namespace taskflow::runtime
