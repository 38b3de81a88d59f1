// identity_store on PostgreSQL: users and sessions, each a row with its
// version fence, their events appended to the shared events/outbox tables in
// the same transaction. Same schema and rules as the SQLite adapter.
#pragma once

#include <memory>

#include "actors/ports/identity_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_identity_store final : public ports::identity_store {
public:
  explicit pg_identity_store(std::shared_ptr<pg_pool> pool);

  caf::expected<std::optional<user::user_state>> load_user(const std::string& id) override;
  caf::expected<std::optional<user::user_state>> find_user_by_email(const std::string& normalized_email) override;
  caf::expected<void> commit_user(const ports::user_commit& commit) override;
  caf::expected<std::optional<session::session_state>> load_session(const std::string& id) override;
  caf::expected<void> commit_session(const ports::session_commit& commit) override;
  caf::expected<std::vector<ports::revoked_session>> revoked_sessions(std::int64_t now_ms) override;

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
