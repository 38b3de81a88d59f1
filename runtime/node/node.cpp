#include "runtime/node/node.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "actors/task/task_actor.hpp"
#include "messages/caf_types.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node/backends.hpp"
#include "runtime/services/outbox_relay.hpp"
#include "runtime/services/projector.hpp"
#include "runtime/sharding/shard_host.hpp"
#include "runtime/supervision/supervisor.hpp"

namespace taskflow::runtime {
struct node::impl {
  const config& cfg;
  const logger& log;
  metrics& stats;
  backends ports;
  caf::actor_system_config caf_config;
  std::unique_ptr<caf::actor_system> system;
  std::unique_ptr<task_gateway> gateway;
  caf::actor root;
  std::atomic<bool> healthy{true};
  bool stopped = false;

  impl(const config& c, const logger& l, metrics& m) : cfg(c), log(l), stats(m) {}

  std::vector<child_spec> children() {
    task::task_actor_deps task_deps{ports.tasks, clock::unix_now_ms, nullptr};
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
    outbox_relay_deps relay_deps{ports.outbox, ports.bus, &log, &stats};
    projector_deps projector_deps_{ports.projection, ports.bus, &log, &stats};

    return {
        {"shard_host", shard_host_name,
         [host_cfg, factory, hooks](caf::actor_system& s) { return s.spawn(shard_host, host_cfg, factory, hooks); }},
        {"projector", projector_name,
         [projector_deps_](caf::actor_system& s) { return s.spawn(projector, projector_deps_); }},
        {"outbox_relay", outbox_relay_name,
         [relay_cfg, relay_deps](caf::actor_system& s) { return s.spawn(outbox_relay, relay_cfg, relay_deps); }},
    };
  }
};

caf::expected<std::unique_ptr<node>> node::start(const config& cfg, const logger& log, metrics& stats) {
  auto self = std::make_unique<impl>(cfg, log, stats);
  auto opened = open_backends(cfg, log, stats);
  if (!opened)
    return opened.error();
  self->ports = std::move(*opened);
  if (auto declared = self->ports.bus->declare_consumer(projector_consumer); !declared)
    return declared.error();

  messages::register_message_types(self->caf_config);
  self->caf_config.set("scheduler.max-threads", static_cast<std::size_t>(cfg.actor_threads));
  self->caf_config.set("logger.file-verbosity", caf::atom("quiet"));
  self->caf_config.set("logger.console-verbosity", caf::atom("quiet"));
  self->system = std::make_unique<caf::actor_system>(self->caf_config);
  self->gateway = std::make_unique<task_gateway>(*self->system, self->ports.queries);
  self->gateway->set_dependencies(self->ports.checks);

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
  auto started = self->ports.description;
  started["node_id"] = cfg.node_id;
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
  // The actor system's destructor waits for every actor to finish.
  self_->system.reset();
}

}  // namespace taskflow::runtime
