#include "persistence/sqlite/sqlite_identity_store.hpp"

#include "actors/user/user_validation.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/identity_codec.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_event_log.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {

using ports::store_errc;

sqlite_identity_store::sqlite_identity_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::optional<user::user_state>> sqlite_identity_store::load_user(const std::string& id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT state, password_hash FROM users WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
      return std::optional<user::user_state>{};
    user::user_state state;
    if (auto decoded = from_json(q.column_text(0), state.snapshot); !decoded)
      return decoded.error();
    state.password_hash = q.column_text(1);
    return std::optional<user::user_state>{std::move(state)};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::optional<user::user_state>> sqlite_identity_store::find_user_by_email(
    const std::string& normalized_email) {
  std::string id;
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT id FROM users WHERE email = ?");
    q.bind(1, normalized_email);
    if (!q.step())
      return std::optional<user::user_state>{};
    id = q.column_text(0);
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
  return load_user(id);
}

caf::expected<void> sqlite_identity_store::commit_user(const ports::user_commit& commit) {
  const auto& next = commit.next;
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    auto email = user::normalize_email(next.snapshot.email());
    if (commit.expected_version == 0) {
      auto& taken = db->prepare("SELECT id FROM users WHERE email = ?");
      taken.bind(1, email);
      if (taken.step())
        return ports::make_error(store_errc::duplicate_key, taken.column_text(0));
      try {
        db->prepare(
              "INSERT INTO users (id, email, version, password_hash, state, updated_at_ms) "
              "VALUES (?, ?, ?, ?, ?, ?)")
            .bind(1, next.snapshot.id())
            .bind(2, email)
            .bind(3, next.snapshot.version())
            .bind(4, next.password_hash)
            .bind(5, to_json(next.snapshot))
            .bind(6, clock::unix_now_ms())
            .run();
      } catch (const sqlite_error& e) {
        if (!e.is_constraint())
          throw;
        return ports::make_error(store_errc::conflict, "user " + next.snapshot.id() + " exists");
      }
    } else {
      db->prepare(
            "UPDATE users SET email = ?, version = ?, password_hash = ?, state = ?, updated_at_ms = ? "
            "WHERE id = ? AND version = ?")
          .bind(1, email)
          .bind(2, next.snapshot.version())
          .bind(3, next.password_hash)
          .bind(4, to_json(next.snapshot))
          .bind(5, clock::unix_now_ms())
          .bind(6, next.snapshot.id())
          .bind(7, commit.expected_version)
          .run();
      if (db->changes() != 1)
        return ports::make_error(store_errc::conflict, "user " + next.snapshot.id() + " changed meanwhile");
    }
    append_events(*db, commit.events);
    tx.commit();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::optional<session::session_state>> sqlite_identity_store::load_session(const std::string& id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT state, secrets FROM sessions WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
      return std::optional<session::session_state>{};
    session::session_state state;
    if (auto decoded = from_json(q.column_text(0), state.snapshot); !decoded)
      return decoded.error();
    if (auto decoded = decode_session_secrets(q.column_text(1), state); !decoded)
      return decoded.error();
    return std::optional<session::session_state>{std::move(state)};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<void> sqlite_identity_store::commit_session(const ports::session_commit& commit) {
  const auto& next = commit.next;
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    auto until = revoke_until(next);
    if (commit.expected_version == 0) {
      try {
        auto& insert = db->prepare(
            "INSERT INTO sessions (id, user_id, version, expires_at_ms, revoke_until_ms, secrets, state, "
            "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, next.snapshot.id())
            .bind(2, next.snapshot.user_id())
            .bind(3, next.snapshot.version())
            .bind(4, next.snapshot.expires_at_ms());
        if (until)
          insert.bind(5, *until);
        else
          insert.bind_null(5);
        insert.bind(6, encode_session_secrets(next))
            .bind(7, to_json(next.snapshot))
            .bind(8, clock::unix_now_ms())
            .run();
      } catch (const sqlite_error& e) {
        if (!e.is_constraint())
          throw;
        return ports::make_error(store_errc::conflict, "session " + next.snapshot.id() + " exists");
      }
    } else {
      auto& update = db->prepare(
          "UPDATE sessions SET version = ?, expires_at_ms = ?, revoke_until_ms = ?, secrets = ?, state = ?, "
          "updated_at_ms = ? WHERE id = ? AND version = ?");
      update.bind(1, next.snapshot.version()).bind(2, next.snapshot.expires_at_ms());
      if (until)
        update.bind(3, *until);
      else
        update.bind_null(3);
      update.bind(4, encode_session_secrets(next))
          .bind(5, to_json(next.snapshot))
          .bind(6, clock::unix_now_ms())
          .bind(7, next.snapshot.id())
          .bind(8, commit.expected_version)
          .run();
      if (db->changes() != 1)
        return ports::make_error(store_errc::conflict, "session " + next.snapshot.id() + " changed meanwhile");
    }
    append_events(*db, commit.events);
    tx.commit();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::vector<ports::revoked_session>> sqlite_identity_store::revoked_sessions(std::int64_t now_ms) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT id, revoke_until_ms FROM sessions WHERE revoke_until_ms > ?");
    q.bind(1, now_ms);
    std::vector<ports::revoked_session> out;
    while (q.step())
      out.push_back({q.column_text(0), q.column_int(1)});
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
