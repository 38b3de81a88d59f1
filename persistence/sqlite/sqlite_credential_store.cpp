#include "persistence/sqlite/sqlite_credential_store.hpp"

#include "persistence/codec/identity_codec.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_event_log.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

ports::api_key_record read_api_key(const sqlite_statement& q) {
  ports::api_key_record key;
  key.id = q.column_text(0);
  key.user_id = q.column_text(1);
  key.name = q.column_text(2);
  key.prefix = q.column_text(3);
  key.key_hash = q.column_text(4);
  key.scopes = split_scopes(q.column_text(5));
  key.created_at_ms = q.column_int(6);
  if (!q.column_is_null(7))
    key.revoked_at_ms = q.column_int(7);
  return key;
}

std::vector<ports::signing_key_record> read_signing_keys(sqlite_db& db) {
  auto& q = db.prepare(
      "SELECT kid, algorithm, private_pem, public_pem, created_at_ms FROM signing_keys "
      "ORDER BY created_at_ms DESC, kid");
  std::vector<ports::signing_key_record> out;
  while (q.step())
    out.push_back({q.column_text(0), q.column_text(1), q.column_text(2), q.column_text(3), q.column_int(4)});
  return out;
}

}  // namespace

sqlite_credential_store::sqlite_credential_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<void> sqlite_credential_store::insert_api_key(const ports::api_key_record& key) {
  try {
    auto db = pool_->write();
    db->prepare(std::string{"INSERT INTO api_keys ("} + api_key_columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")
        .bind(1, key.id)
        .bind(2, key.user_id)
        .bind(3, key.name)
        .bind(4, key.prefix)
        .bind(5, key.key_hash)
        .bind(6, join_scopes(key.scopes))
        .bind(7, key.created_at_ms)
        .run();
    return caf::unit;
  } catch (const sqlite_error& e) {
    if (e.is_constraint())
      return ports::make_error(store_errc::duplicate_key, key.id);
    return to_store_error(e);
  }
}

caf::expected<std::optional<ports::api_key_record>> sqlite_credential_store::find_api_key(const std::string& key_hash) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(std::string{"SELECT "} + api_key_columns + " FROM api_keys WHERE key_hash = ?");
    q.bind(1, key_hash);
    if (!q.step())
      return std::optional<ports::api_key_record>{};
    return std::optional<ports::api_key_record>{read_api_key(q)};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<ports::api_key_record> sqlite_credential_store::revoke_api_key(const std::string& user_id,
                                                                             const std::string& key_id,
                                                                             std::int64_t now_ms,
                                                                             messages::EventEnvelope event) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    auto& q = db->prepare(std::string{"SELECT "} + api_key_columns +
                          " FROM api_keys WHERE id = ? AND user_id = ? AND revoked_at_ms IS NULL");
    q.bind(1, key_id).bind(2, user_id);
    if (!q.step())
      return ports::make_error(store_errc::not_found, "no live API key " + key_id);
    auto key = read_api_key(q);
    q.reset();
    db->prepare("UPDATE api_keys SET revoked_at_ms = ? WHERE id = ?").bind(1, now_ms).bind(2, key_id).run();
    key.revoked_at_ms = now_ms;
    event.mutable_api_key_revoked()->set_key_hash(key.key_hash);
    append_events(*db, {event});
    tx.commit();
    return key;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<void> sqlite_credential_store::insert_client(const ports::oauth_client_record& client) {
  try {
    auto db = pool_->write();
    db->prepare(
          "INSERT INTO oauth_clients (client_id, name, secret_hash, scopes, created_by, created_at_ms) "
          "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, client.client_id)
        .bind(2, client.name)
        .bind(3, client.secret_hash)
        .bind(4, join_scopes(client.scopes))
        .bind(5, client.created_by)
        .bind(6, client.created_at_ms)
        .run();
    return caf::unit;
  } catch (const sqlite_error& e) {
    if (e.is_constraint())
      return ports::make_error(store_errc::duplicate_key, client.client_id);
    return to_store_error(e);
  }
}

caf::expected<std::optional<ports::oauth_client_record>> sqlite_credential_store::find_client(
    const std::string& client_id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(
        "SELECT client_id, name, secret_hash, scopes, created_by, created_at_ms FROM oauth_clients "
        "WHERE client_id = ?");
    q.bind(1, client_id);
    if (!q.step())
      return std::optional<ports::oauth_client_record>{};
    return std::optional<ports::oauth_client_record>{
        ports::oauth_client_record{q.column_text(0), q.column_text(1), q.column_text(2), split_scopes(q.column_text(3)),
                                   q.column_text(4), q.column_int(5)}};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::vector<ports::signing_key_record>> sqlite_credential_store::signing_keys() {
  try {
    auto db = pool_->read();
    return read_signing_keys(*db);
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::vector<ports::signing_key_record>> sqlite_credential_store::add_signing_key(
    const ports::signing_key_record& key, std::int64_t unless_newer_than_ms) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    auto& newer = db->prepare("SELECT 1 FROM signing_keys WHERE created_at_ms > ?");
    newer.bind(1, unless_newer_than_ms);
    bool exists = newer.step();
    newer.reset();
    if (!exists)
      db->prepare(
            "INSERT INTO signing_keys (kid, algorithm, private_pem, public_pem, created_at_ms) VALUES (?, ?, ?, ?, ?)")
          .bind(1, key.kid)
          .bind(2, key.algorithm)
          .bind(3, key.private_pem)
          .bind(4, key.public_pem)
          .bind(5, key.created_at_ms)
          .run();
    auto keys = read_signing_keys(*db);
    tx.commit();
    return keys;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
