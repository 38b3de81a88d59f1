#include "persistence/postgres/pg_identity_store.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "actors/user/user_validation.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/identity_codec.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_event_log.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

caf::expected<std::optional<user::user_state>> read_user(const pqxx::result& rows) {
  if (rows.empty())
    return std::optional<user::user_state>{};
  user::user_state state;
  if (auto decoded = from_json(rows[0][0].c_str(), state.snapshot); !decoded)
    return decoded.error();
  state.password_hash = rows[0][1].c_str();
  return std::optional<user::user_state>{std::move(state)};
}

}  // namespace

pg_identity_store::pg_identity_store(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::optional<user::user_state>> pg_identity_store::load_user(const std::string& id) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return read_user(tx.exec_params("SELECT state, password_hash FROM users WHERE id = $1", id));
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::optional<user::user_state>> pg_identity_store::find_user_by_email(
    const std::string& normalized_email) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return read_user(tx.exec_params("SELECT state, password_hash FROM users WHERE email = $1", normalized_email));
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_identity_store::commit_user(const ports::user_commit& commit) {
  const auto& next = commit.next;
  auto email = user::normalize_email(next.snapshot.email());
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<void> {
      pqxx::work tx{conn};
      if (commit.expected_version == 0) {
        auto taken = tx.exec_params("SELECT id FROM users WHERE email = $1", email);
        if (!taken.empty())
          return ports::make_error(store_errc::duplicate_key, taken[0][0].c_str());
        auto written = tx.exec_params(
            "INSERT INTO users (id, email, version, password_hash, state, updated_at_ms) VALUES ($1, $2, $3, $4, $5, "
            "$6) ON CONFLICT DO NOTHING",
            next.snapshot.id(), email, next.snapshot.version(), next.password_hash, to_json(next.snapshot),
            clock::unix_now_ms());
        if (written.affected_rows() != 1)
          return ports::make_error(store_errc::duplicate_key, "user " + next.snapshot.id() + " or its email exists");
      } else {
        auto written = tx.exec_params(
            "UPDATE users SET email = $1, version = $2, password_hash = $3, state = $4, updated_at_ms = $5 "
            "WHERE id = $6 AND version = $7",
            email, next.snapshot.version(), next.password_hash, to_json(next.snapshot), clock::unix_now_ms(),
            next.snapshot.id(), commit.expected_version);
        if (written.affected_rows() != 1)
          return ports::make_error(store_errc::conflict, "user " + next.snapshot.id() + " changed meanwhile");
      }
      pg_event_log::append(tx, commit.events, clock::unix_now_ms());
      tx.commit();
      return caf::unit;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::optional<session::session_state>> pg_identity_store::load_session(const std::string& id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::optional<session::session_state>> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_params("SELECT state, secrets FROM sessions WHERE id = $1", id);
      if (rows.empty())
        return std::optional<session::session_state>{};
      session::session_state state;
      if (auto decoded = from_json(rows[0][0].c_str(), state.snapshot); !decoded)
        return decoded.error();
      if (auto decoded = decode_session_secrets(rows[0][1].c_str(), state); !decoded)
        return decoded.error();
      return std::optional<session::session_state>{std::move(state)};
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_identity_store::commit_session(const ports::session_commit& commit) {
  const auto& next = commit.next;
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<void> {
      pqxx::work tx{conn};
      auto written =
          commit.expected_version == 0
              ? tx.exec_params(
                    "INSERT INTO sessions (id, user_id, version, expires_at_ms, revoke_until_ms, secrets, state, "
                    "updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                    next.snapshot.id(), next.snapshot.user_id(), next.snapshot.version(), next.snapshot.expires_at_ms(),
                    revoke_until(next), encode_session_secrets(next), to_json(next.snapshot), clock::unix_now_ms())
              : tx.exec_params(
                    "UPDATE sessions SET version = $2, expires_at_ms = $3, revoke_until_ms = $4, secrets = $5, "
                    "state = $6, updated_at_ms = $7 WHERE id = $1 AND version = $8",
                    next.snapshot.id(), next.snapshot.version(), next.snapshot.expires_at_ms(), revoke_until(next),
                    encode_session_secrets(next), to_json(next.snapshot), clock::unix_now_ms(),
                    commit.expected_version);
      if (written.affected_rows() != 1)
        return ports::make_error(store_errc::conflict, "session " + next.snapshot.id() + " changed meanwhile");
      pg_event_log::append(tx, commit.events, clock::unix_now_ms());
      tx.commit();
      return caf::unit;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::vector<ports::revoked_session>> pg_identity_store::revoked_sessions(std::int64_t now_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      std::vector<ports::revoked_session> out;
      for (const auto& row :
           tx.exec_params("SELECT id, revoke_until_ms FROM sessions WHERE revoke_until_ms > $1", now_ms))
        out.push_back({row[0].c_str(), row[1].as<std::int64_t>()});
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
