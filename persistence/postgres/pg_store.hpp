// The production store: task state, events, outbox, inbox, read model,
// identities and Idempotency-Key records in PostgreSQL. Implements every store port; several nodes may share one
// database (migrations under an advisory lock, outbox rows claimed with
// SKIP LOCKED, commits fenced by version).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "actors/ports/event_history.hpp"
#include "actors/ports/identity_store.hpp"
#include "actors/ports/services/credential_store.hpp"
#include "actors/ports/services/idempotency_store.hpp"
#include "actors/ports/services/outbox_store.hpp"
#include "actors/ports/services/read_model_store.hpp"
#include "actors/ports/task_store.hpp"
#include "persistence/batching/commit_queue.hpp"

namespace taskflow::persistence {

class pg_pool;
class pg_group_commit;

struct pg_options {
  std::string conninfo;  // URL or key=value string, as libpq takes it
  std::size_t connections = 8;
  // Threads that each turn whatever commits are queued into one transaction.
  std::size_t committers = 2;
  std::size_t max_batch = 256;
  commit_observer observer;  // batch sizes and commit waits, for metrics
  std::chrono::milliseconds connect_timeout{2000};
  // How long open() keeps trying to reach the server: a node may start
  // beside its database (a rollout, a machine booting, a loaded one), and
  // start-up has no request waiting on it.
  std::chrono::milliseconds startup_wait{std::chrono::seconds{15}};
  std::chrono::milliseconds statement_timeout{5000};
  // Who claims outbox rows; unique per node.
  std::string instance_id = "taskflow";
  // A claimed row returns to the others after this long without mark_sent.
  std::chrono::milliseconds claim_lease{std::chrono::seconds{30}};
};

class pg_store final : public ports::task_store,
                       public ports::outbox_store,
                       public ports::read_model_store,
                       public ports::identity_store,
                       public ports::credential_store,
                       public ports::idempotency_store,
                       public ports::event_history {
public:
  // Connects (retrying for up to startup_wait), applies pending migrations
  // under an advisory lock, opens the pools' connections and starts the
  // committers.
  static caf::expected<std::shared_ptr<pg_store>> open(pg_options options);
  ~pg_store() override;

  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override;
  // Queued to a committer, which writes it together with the other commits
  // waiting at that moment: one transaction and one WAL flush for the lot.
  void commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) override;

  caf::expected<std::vector<ports::outbox_entry>> fetch_unsent(std::size_t limit) override;
  caf::expected<void> mark_sent(const std::vector<std::int64_t>& seqs) override;
  caf::expected<std::int64_t> backlog() override;
  caf::expected<std::int64_t> prune_sent(std::int64_t older_than_ms) override;

  caf::expected<std::vector<ports::projection_outcome>> project(
      const std::string& consumer, const std::vector<messages::EventEnvelope>& events) override;
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) override;
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) override;
  caf::expected<void> ping() override;

  // identity_store (pg_store_identity.cpp)
  caf::expected<std::optional<user::user_state>> load_user(const std::string& id) override;
  caf::expected<std::optional<user::user_state>> find_user_by_email(const std::string& normalized_email) override;
  caf::expected<void> commit_user(const ports::user_commit& commit) override;
  caf::expected<std::optional<session::session_state>> load_session(const std::string& id) override;
  caf::expected<void> commit_session(const ports::session_commit& commit) override;
  caf::expected<std::vector<ports::revoked_session>> revoked_sessions(std::int64_t now_ms) override;

  // credential_store (pg_store_credentials.cpp)
  caf::expected<void> insert_api_key(const ports::api_key_record& key) override;
  caf::expected<std::optional<ports::api_key_record>> find_api_key(const std::string& key_hash) override;
  caf::expected<ports::api_key_record> revoke_api_key(const std::string& user_id, const std::string& key_id,
                                                      std::int64_t now_ms, messages::EventEnvelope event) override;
  caf::expected<void> insert_client(const ports::oauth_client_record& client) override;
  caf::expected<std::optional<ports::oauth_client_record>> find_client(const std::string& client_id) override;
  caf::expected<std::vector<ports::signing_key_record>> signing_keys() override;
  caf::expected<std::vector<ports::signing_key_record>> add_signing_key(const ports::signing_key_record& key,
                                                                        std::int64_t unless_newer_than_ms) override;

  // idempotency_store (pg_store_idempotency.cpp)
  caf::expected<ports::idempotency_claim> claim(const ports::claim_request& request) override;
  caf::expected<bool> complete(const ports::idempotency_scope& scope, const std::string& lease_token,
                               const ports::stored_response& response) override;
  caf::expected<void> release(const ports::idempotency_scope& scope, const std::string& lease_token) override;
  caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) override;

  // event_history (pg_store_events.cpp)
  caf::expected<std::vector<messages::EventEnvelope>> recent_events(const std::string& aggregate_type,
                                                                    const std::string& aggregate_id,
                                                                    std::size_t limit) override;

private:
  pg_store(pg_options options, std::unique_ptr<pg_pool> pool, std::unique_ptr<pg_pool> commit_pool);

  pg_options options_;
  std::unique_ptr<pg_pool> pool_;
  // Committers have connections of their own so reads never wait behind them.
  std::unique_ptr<pg_pool> commit_pool_;
  std::unique_ptr<pg_group_commit> group_;
};

}  // namespace taskflow::persistence
