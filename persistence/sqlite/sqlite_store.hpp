// The embedded store: task state, events, outbox, inbox and read model in one
// SQLite file (WAL). Implements every store port for a single node.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/ports/event_history.hpp"
#include "actors/ports/identity_store.hpp"
#include "actors/ports/services/credential_store.hpp"
#include "actors/ports/services/idempotency_store.hpp"
#include "actors/ports/services/outbox_store.hpp"
#include "actors/ports/services/read_model_store.hpp"
#include "actors/ports/task_store.hpp"
#include "persistence/batching/commit_queue.hpp"

namespace taskflow::persistence {

class sqlite_db;
class sqlite_error;

// Appends events and their outbox rows inside the caller's transaction.
void append_events(sqlite_db& db, const std::vector<messages::EventEnvelope>& events);
caf::error to_store_error(const sqlite_error& e);

class sqlite_store final : public ports::task_store,
                           public ports::outbox_store,
                           public ports::read_model_store,
                           public ports::identity_store,
                           public ports::credential_store,
                           public ports::idempotency_store,
                           public ports::event_history {
public:
  // Opens (creating if needed) the database file and applies pending
  // migrations. Task commits are written in batches by one writer thread.
  static caf::expected<std::shared_ptr<sqlite_store>> open(const std::filesystem::path& file,
                                                           std::size_t connections = 4, commit_observer observer = {});
  ~sqlite_store() override;

  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override;
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

  // identity_store (sqlite_store_identity.cpp)
  caf::expected<std::optional<user::user_state>> load_user(const std::string& id) override;
  caf::expected<std::optional<user::user_state>> find_user_by_email(const std::string& normalized_email) override;
  caf::expected<void> commit_user(const ports::user_commit& commit) override;
  caf::expected<std::optional<session::session_state>> load_session(const std::string& id) override;
  caf::expected<void> commit_session(const ports::session_commit& commit) override;
  caf::expected<std::vector<ports::revoked_session>> revoked_sessions(std::int64_t now_ms) override;

  // credential_store (sqlite_store_credentials.cpp)
  caf::expected<void> insert_api_key(const ports::api_key_record& key) override;
  caf::expected<std::optional<ports::api_key_record>> find_api_key(const std::string& key_hash) override;
  caf::expected<ports::api_key_record> revoke_api_key(const std::string& user_id, const std::string& key_id,
                                                      std::int64_t now_ms, messages::EventEnvelope event) override;
  caf::expected<void> insert_client(const ports::oauth_client_record& client) override;
  caf::expected<std::optional<ports::oauth_client_record>> find_client(const std::string& client_id) override;
  caf::expected<std::vector<ports::signing_key_record>> signing_keys() override;
  caf::expected<std::vector<ports::signing_key_record>> add_signing_key(const ports::signing_key_record& key,
                                                                        std::int64_t unless_newer_than_ms) override;

  // idempotency_store (sqlite_store_idempotency.cpp)
  caf::expected<ports::idempotency_claim> claim(const ports::claim_request& request) override;
  caf::expected<bool> complete(const ports::idempotency_scope& scope, const std::string& lease_token,
                               const ports::stored_response& response) override;
  caf::expected<void> release(const ports::idempotency_scope& scope, const std::string& lease_token) override;
  caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) override;

  // event_history (sqlite_store_events.cpp)
  caf::expected<std::vector<messages::EventEnvelope>> recent_events(const std::string& aggregate_type,
                                                                    const std::string& aggregate_id,
                                                                    std::size_t limit) override;

private:
  // A pooled connection, returned (with its statements reset) on destruction.
  class lease {
  public:
    lease(sqlite_store& owner, sqlite_db* db);
    ~lease();
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    sqlite_db& operator*() const { return *db_; }
    sqlite_db* operator->() const { return db_; }

  private:
    sqlite_store& owner_;
    sqlite_db* db_;
  };
  sqlite_store(std::vector<std::unique_ptr<sqlite_db>> pool, std::unique_ptr<sqlite_db> checkpointer,
               commit_observer observer);
  void write_batch(std::vector<queued_commit>& batch);
  lease acquire();
  void checkpoint_loop();

  // SQLite has one writer at a time; serializing writers here avoids
  // busy-waiting inside SQLite and keeps write latency predictable.
  std::mutex write_mutex_;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<sqlite_db>> pool_;
  std::vector<sqlite_db*> idle_;

  // Copies the WAL back into the database once a second, off the request
  // path, on a connection of its own. A passive checkpoint never blocks
  // readers or the writer.
  std::unique_ptr<sqlite_db> checkpointer_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread checkpoint_thread_;
  // Last, so its writer stops before the connections it uses go.
  std::unique_ptr<commit_queue> commits_;
};

}  // namespace taskflow::persistence
