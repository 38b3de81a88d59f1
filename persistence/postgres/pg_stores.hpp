// The production store: task state, events, outbox, inbox, read model,
// identities and Idempotency-Key records in PostgreSQL. Several nodes may
// share one database (migrations under an advisory lock, outbox rows claimed
// with SKIP LOCKED, commits fenced by version). Every port's adapter works
// on the same pools of connections.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <caf/expected.hpp>

#include "persistence/batching/commit_queue.hpp"
#include "persistence/store_ports.hpp"

namespace taskflow::persistence {

struct pg_options {
  std::string conninfo;  // URL or key=value string, as libpq takes it
  std::size_t connections = 8;
  // Threads that each turn whatever commits are queued into one transaction.
  std::size_t committers = 2;
  std::size_t max_batch = 256;
  commit_observer observer;  // batch sizes and commit waits, for metrics
  std::chrono::milliseconds connect_timeout{2000};
  // How long opening keeps trying to reach the server: a node may start
  // beside its database (a rollout, a machine booting, a loaded one), and
  // start-up has no request waiting on it.
  std::chrono::milliseconds startup_wait{std::chrono::seconds{15}};
  std::chrono::milliseconds statement_timeout{5000};
  // Who claims outbox rows; unique per node.
  std::string instance_id = "taskflow";
  // A claimed row returns to the others after this long without mark_sent.
  std::chrono::milliseconds claim_lease{std::chrono::seconds{30}};
};

// Connects (retrying for up to startup_wait), applies pending migrations
// under an advisory lock, opens the pools' connections and starts the
// committers.
caf::expected<store_ports> open_pg_stores(pg_options options);

}  // namespace taskflow::persistence
