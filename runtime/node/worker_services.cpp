#include "runtime/node/worker_services.hpp"

#include <random>

#include <caf/send.hpp>

#include "actors/session/session_actor.hpp"
#include "actors/task/task_actor.hpp"
#include "actors/user/user_actor.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/admin/node_agent.hpp"
#include "runtime/atoms.hpp"
#include "runtime/services/idempotency_sweeper.hpp"
#include "runtime/services/notification_feed_writer.hpp"
#include "runtime/services/outbox_relay.hpp"
#include "runtime/services/projector.hpp"
#include "runtime/services/webhook_dispatcher.hpp"
#include "runtime/sharding/shard_host.hpp"
#include "runtime/supervision/service_handle.hpp"
#include "runtime/timers/reminder_service.hpp"
#include "runtime/webhooks/curl_webhook_sender.hpp"
#include "runtime/webhooks/webhook_enqueuer.hpp"

namespace taskflow::runtime {
namespace {

// The retry jitter's dice: a generator per thread, seeded once from the OS.
std::function<double()> random_unit() {
  return [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>{0.0, 1.0}(engine);
  };
}

}  // namespace

activation_factory aggregate_kinds(const worker_wiring& w) {
  // Resolved on each announcement, so a restarted wheel is found; one lost
  // while it restarts is found again by its first scan.
  auto on_reminder_timer = [wheel = reminder_wheel_handle{w.system}](const std::string& task_id,
                                                                     std::optional<std::int64_t> at_ms,
                                                                     const std::string& traceparent) {
    auto current = wheel.current();
    if (!current)
      return;
    if (at_ms)
      caf::anon_send(current, remind_atom::value, task_id, *at_ms, traceparent);
    else
      caf::anon_send(current, remind_atom::value, task_id);
  };
  auto task_deps = std::make_shared<const task::task_actor_deps>(
      task::task_actor_deps{w.ports.tasks, w.store_pool, clock::unix_now_ms, w.nudge_relay, w.ports.history,
                            w.cfg.reminder_lead, std::move(on_reminder_timer)});
  user::user_actor_deps user_deps{w.ports.identities, w.store_pool, clock::unix_now_ms, w.nudge_relay};
  session::session_actor_deps session_deps{w.ports.identities, w.store_pool, clock::unix_now_ms, w.nudge_relay};
  // Keys are "<kind>/<uuid>"; the actor knows itself by the bare id.
  return activation_table({
      {"task", [task_deps](caf::local_actor* host,
                           const std::string& id) { return caf::actor{host->spawn(task::task_actor, id, task_deps)}; }},
      {"user", [user_deps](caf::local_actor* host,
                           const std::string& id) { return caf::actor{host->spawn(user::user_actor, id, user_deps)}; }},
      {"session",
       [session_deps](caf::local_actor* host, const std::string& id) {
         return caf::actor{host->spawn(session::session_actor, id, session_deps)};
       }},
  });
}

std::vector<child_spec> worker_services(const worker_wiring& w) {
  if (!w.cfg.has_role("worker"))
    return {};
  shard_host_config host_cfg{w.cfg.actor_idle_timeout, w.cfg.max_resident_actors, {}, w.admission};
  auto factory = aggregate_kinds(w);
  auto* stats = &w.stats;
  const auto* log = &w.log;
  shard_host_hooks hooks{
      [stats, lifecycle = w.lifecycle](const std::string& key) {
        stats->activations.Increment();
        lifecycle("activation", key);
      },
      [stats, lifecycle = w.lifecycle](const std::string& key) {
        stats->passivations.Increment();
        lifecycle("passivation", key);
      },
      [stats, log](const std::string& key, const caf::error& reason) {
        stats->actor_crashes.Increment();
        log->warn("actor_crashed", {{"key", key}, {"reason", caf::to_string(reason)}});
      },
      [stats](std::size_t resident) { stats->resident_actors.Set(static_cast<double>(resident)); },
  };
  outbox_relay_config relay_cfg;
  relay_cfg.poll_interval = w.cfg.outbox_poll_interval;
  outbox_relay_deps relay_deps{w.ports.outbox, w.ports.bus, w.store_pool, log, stats};
  batched_consumer_deps projector_deps{projector_consumer, w.ports.bus, w.store_pool, log,
                                       projection({w.ports.projection, log, stats})};
  batched_consumer_deps notifier_deps{notification_consumer, w.ports.bus, w.store_pool, log,
                                      notification_feed_writer({w.ports.notifications,
                                                                clock::unix_now_ms,
                                                                log,
                                                                stats,
                                                                {enqueue_webhook_deliveries(
                                                                    w.ports.webhooks, clock::unix_now_ms,
                                                                    [dispatcher = webhook_dispatcher_handle{w.system}] {
                                                                      if (auto current = dispatcher.current())
                                                                        caf::anon_send(current, nudge_atom::value);
                                                                    },
                                                                    log)}})};
  idempotency_sweeper_deps sweeper_deps{w.ports.idempotency, w.store_pool, clock::unix_now_ms, log};
  reminder_service_config reminder_cfg;
  reminder_cfg.scan_interval = w.cfg.reminder_scan_interval;
  reminder_cfg.horizon = w.cfg.reminder_horizon;
  reminder_service_deps reminder_deps{
      w.ports.reminders, w.store_pool, clock::unix_now_ms, w.admission, shard_host_handle{w.system}, log, stats};
  node_agent_deps agent_deps{w.cfg.node_id,
                             w.directory,
                             w.ports.tasks,
                             w.ports.identities,
                             w.ports.history,
                             w.store_pool,
                             shard_host_handle{w.system},
                             w.traces};
  webhook_dispatcher_config dispatcher_cfg;
  dispatcher_cfg.node_id = w.cfg.node_id;
  dispatcher_cfg.schedule = w.cfg.webhook_retry_schedule;
  dispatcher_cfg.poll_interval = w.cfg.webhook_poll_interval;
  dispatcher_cfg.lease = w.cfg.webhook_lease;
  dispatcher_cfg.connect_timeout = w.cfg.webhook_connect_timeout;
  dispatcher_cfg.total_timeout = w.cfg.webhook_timeout;
  dispatcher_cfg.batch_size = std::size_t{w.cfg.webhook_threads} * 2;
  webhook_dispatcher_deps dispatcher_deps{w.ports.webhooks,
                                          std::make_shared<curl_webhook_sender>(w.cfg.webhook_allow_private),
                                          w.store_pool,
                                          w.webhook_pool,
                                          w.webhook_breakers,
                                          clock::unix_now_ms,
                                          random_unit(),
                                          log,
                                          stats};
  return {
      {"shard_host", shard_host_name,
       [host_cfg, factory, hooks](caf::actor_system& s) { return s.spawn(shard_host, host_cfg, factory, hooks); }},
      {"projector", projector_name,
       [projector_deps](caf::actor_system& s) { return s.spawn(batched_consumer, projector_deps); }},
      {"notifier", notifier_name,
       [notifier_deps](caf::actor_system& s) { return s.spawn(batched_consumer, notifier_deps); }},
      {"outbox_relay", outbox_relay_name,
       [relay_cfg, relay_deps](caf::actor_system& s) { return s.spawn(outbox_relay, relay_cfg, relay_deps); }},
      {"idempotency_sweeper", idempotency_sweeper_name,
       [sweeper_deps](caf::actor_system& s) {
         return s.spawn(idempotency_sweeper, idempotency_sweeper_config{}, sweeper_deps);
       }},
      {"admin_agent", admin_agent_name, [agent_deps](caf::actor_system& s) { return s.spawn(node_agent, agent_deps); }},
      {"reminder_wheel", reminder_wheel_name,
       [reminder_cfg, reminder_deps](caf::actor_system& s) {
         return s.spawn(reminder_service, reminder_cfg, reminder_deps);
       }},
      {"webhook_dispatcher", webhook_dispatcher_name,
       [dispatcher_cfg, dispatcher_deps](caf::actor_system& s) {
         return s.spawn(webhook_dispatcher, dispatcher_cfg, dispatcher_deps);
       }},
  };
}

}  // namespace taskflow::runtime
