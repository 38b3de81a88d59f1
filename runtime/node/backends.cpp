#include "runtime/node/backends.hpp"

#include <chrono>
#include <filesystem>
#include <utility>

#include <caf/sec.hpp>

#include "cluster/bus/local_event_bus.hpp"
#include "cluster/bus/nats_event_bus.hpp"
#include "persistence/postgres/pg_stores.hpp"
#include "persistence/redis/redis_query_cache.hpp"
#include "persistence/sqlite/sqlite_stores.hpp"
#include "runtime/caching/cached_read_model.hpp"
#include "runtime/resilience/guarded_credential_store.hpp"
#include "runtime/resilience/guarded_event_bus.hpp"
#include "runtime/resilience/guarded_idempotency_store.hpp"
#include "runtime/resilience/guarded_notification_store.hpp"
#include "runtime/resilience/guarded_store.hpp"

namespace taskflow::runtime {
namespace {

std::shared_ptr<dependency_guard> make_guard(const std::string& name, const config& cfg, const logger& log,
                                             metrics& stats) {
  guard_options options;
  options.slow_call = cfg.dependency_slow_call;
  return std::make_shared<dependency_guard>(
      name, options, &stats, steady_clock_source(), [&log, name](breaker_state from, breaker_state to) {
        auto fields =
            nlohmann::json{{"dependency", name}, {"from", breaker_state_name(from)}, {"to", breaker_state_name(to)}};
        if (to == breaker_state::open)
          log.warn("breaker_opened", fields);
        else
          log.info("breaker_changed", fields);
      });
}

persistence::commit_observer commit_metrics(metrics& stats) {
  return {[&stats](std::size_t commits) { stats.store_commit_batch_size.Observe(static_cast<double>(commits)); },
          [&stats](double seconds) { stats.store_commit_wait_seconds.Observe(seconds); },
          [&stats] { stats.store_commit_batches_retried.Increment(); }};
}

caf::error start_failure(const std::string& what, const caf::error& cause) {
  return caf::make_error(caf::sec::runtime_error, what + ": " + ports::error_text(cause));
}

caf::expected<void> open_store(const config& cfg, const logger& log, metrics& stats, backends& out) {
  if (!cfg.postgres) {
    auto db_file = cfg.data_dir / "taskflow.db";
    auto stores = persistence::open_sqlite_stores(db_file, 4, commit_metrics(stats));
    if (!stores)
      return start_failure("cannot open the embedded store " + db_file.string(), stores.error());
    out.tasks = stores->tasks;
    out.identities = stores->identities;
    out.credentials = stores->credentials;
    out.outbox = stores->outbox;
    out.projection = stores->read_model;
    out.queries = stores->read_model;
    out.idempotency = stores->idempotency;
    out.notifications = stores->notifications;
    out.history = stores->history;
    out.reminders = stores->reminders;
    out.webhooks = stores->webhooks;
    out.summary.store = "sqlite " + std::filesystem::absolute(db_file).lexically_normal().string();
    return caf::unit;
  }
  persistence::pg_options options;
  options.conninfo = *cfg.postgres;
  options.instance_id = cfg.node_id;
  options.observer = commit_metrics(stats);
  auto stores = persistence::open_pg_stores(options);
  if (!stores)
    return start_failure("cannot open PostgreSQL", stores.error());
  auto guard = make_guard("postgres", cfg, log, stats);
  auto guarded = std::make_shared<guarded_store>(stores->tasks, stores->outbox, stores->read_model, guard);
  out.tasks = guarded;
  // Identity calls are few and each already fails fast on a broken
  // connection; they go to the store directly rather than through the guard.
  // Credentials are read on every request with an uncached API key, so they
  // count toward the breaker and fail fast once it opens.
  out.identities = stores->identities;
  out.credentials = std::make_shared<guarded_credential_store>(stores->credentials, guard);
  out.history = stores->history;  // admin reads, few and unhurried: no guard either
  // One scan per node every few seconds, on the store pool: no guard either.
  out.reminders = stores->reminders;
  // The dispatcher polls and backs off by itself, and a failed store call
  // only delays a delivery: no guard either.
  out.webhooks = stores->webhooks;
  out.outbox = guarded;
  out.projection = guarded;
  out.queries = guarded;
  out.idempotency = std::make_shared<guarded_idempotency_store>(stores->idempotency, guard);
  out.notifications = std::make_shared<guarded_notification_store>(stores->notifications, guard);
  out.checks.push_back({"postgres", true, [guard, raw = stores->read_model] {
                          if (guard->breaker().state() == breaker_state::open)
                            return std::string{"circuit_open"};
                          return std::string{raw->ping() ? "up" : "down"};
                        }});
  out.summary.store = "postgres " + without_password(*cfg.postgres);
  return caf::unit;
}

caf::expected<void> open_bus(const config& cfg, const logger& log, metrics& stats, backends& out) {
  if (!cfg.nats) {
    out.bus = std::make_shared<cluster::local_event_bus>();
    out.summary.bus = "in-process";
    return caf::unit;
  }
  cluster::nats_bus_options options;
  options.url = *cfg.nats;
  auto bus = cluster::nats_event_bus::connect(options);
  if (!bus)
    return start_failure("cannot connect to NATS", bus.error());
  auto guard = make_guard("nats", cfg, log, stats);
  out.bus = std::make_shared<guarded_event_bus>(*bus, guard);
  out.checks.push_back({"nats", false, [raw = *bus] { return std::string{raw->connected() ? "up" : "down"}; }});
  out.summary.bus = "nats " + without_password(*cfg.nats);
  return caf::unit;
}

caf::expected<void> open_cache(const config& cfg, const logger& log, metrics& stats, backends& out) {
  if (!cfg.redis)
    return caf::unit;
  persistence::redis_options options;
  options.url = *cfg.redis;
  auto client = persistence::redis_client::create(options);
  if (!client)
    return start_failure("cannot use Redis", client.error());
  // Short TTL: the generation bump is what keeps answers fresh; the TTL only
  // bounds what a node that missed an invalidation could still serve.
  auto cache = std::make_shared<persistence::redis_query_cache>(*client, "taskflow:tasks:", std::chrono::seconds{5});
  auto guard = make_guard("redis", cfg, log, stats);
  auto cached = std::make_shared<cached_read_model>(out.projection, cache, guard, &stats);
  out.projection = cached;
  out.queries = cached;
  out.checks.push_back({"redis", false, [guard, client = *client] {
                          if (guard->breaker().state() == breaker_state::open)
                            return std::string{"circuit_open"};
                          return std::string{client->command({"PING"}) ? "up" : "down"};
                        }});
  out.summary.cache = "redis " + without_password(*cfg.redis);
  return caf::unit;
}

}  // namespace

caf::expected<backends> open_backends(const config& cfg, const logger& log, metrics& stats) {
  backends out;
  // Each step may wait for its server (up to its start-up wait), so each
  // says when it begins and when it is done: a slow or stuck start shows
  // where the time went.
  using opener = caf::expected<void> (*)(const config&, const logger&, metrics&, backends&);
  for (auto [step, open] :
       {std::pair<const char*, opener>{"store", open_store}, {"bus", open_bus}, {"cache", open_cache}}) {
    log.info("startup_step_begin", {{"step", step}});
    auto began = std::chrono::steady_clock::now();
    if (auto opened = open(cfg, log, stats, out); !opened)
      return opened.error();
    log.info(
        "startup_step",
        {{"step", step},
         {"ms",
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count()}});
  }
  return out;
}

}  // namespace taskflow::runtime
