#include "persistence/postgres/pg_credential_store.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "messages/time/unix_clock.hpp"
#include "persistence/codec/identity_codec.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_event_log.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

ports::api_key_record read_api_key(const pqxx::row& row) {
  ports::api_key_record key;
  key.id = row[0].c_str();
  key.user_id = row[1].c_str();
  key.name = row[2].c_str();
  key.prefix = row[3].c_str();
  key.key_hash = row[4].c_str();
  key.scopes = split_scopes(row[5].c_str());
  key.created_at_ms = row[6].as<std::int64_t>();
  if (!row[7].is_null())
    key.revoked_at_ms = row[7].as<std::int64_t>();
  return key;
}

std::vector<ports::signing_key_record> read_signing_keys(pqxx::transaction_base& tx) {
  std::vector<ports::signing_key_record> out;
  for (const auto& row : tx.exec("SELECT kid, algorithm, private_pem, public_pem, created_at_ms FROM signing_keys "
                                 "ORDER BY created_at_ms DESC, kid"))
    out.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].as<std::int64_t>()});
  return out;
}

}  // namespace

pg_credential_store::pg_credential_store(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

caf::expected<void> pg_credential_store::insert_api_key(const ports::api_key_record& key) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<void> {
      pqxx::nontransaction tx{conn};
      auto written = tx.exec_params(std::string{"INSERT INTO api_keys ("} + api_key_columns +
                                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) ON CONFLICT DO NOTHING",
                                    key.id, key.user_id, key.name, key.prefix, key.key_hash, join_scopes(key.scopes),
                                    key.created_at_ms);
      if (written.affected_rows() != 1)
        return ports::make_error(store_errc::duplicate_key, key.id);
      return caf::unit;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::optional<ports::api_key_record>> pg_credential_store::find_api_key(const std::string& key_hash) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      auto rows =
          tx.exec_params(std::string{"SELECT "} + api_key_columns + " FROM api_keys WHERE key_hash = $1", key_hash);
      if (rows.empty())
        return std::optional<ports::api_key_record>{};
      return std::optional<ports::api_key_record>{read_api_key(rows[0])};
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<ports::api_key_record> pg_credential_store::revoke_api_key(const std::string& user_id,
                                                                         const std::string& key_id, std::int64_t now_ms,
                                                                         messages::EventEnvelope event) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<ports::api_key_record> {
      pqxx::work tx{conn};
      auto rows = tx.exec_params(std::string{"UPDATE api_keys SET revoked_at_ms = $3 WHERE id = $1 AND user_id = $2 "
                                             "AND revoked_at_ms IS NULL RETURNING "} +
                                     api_key_columns,
                                 key_id, user_id, now_ms);
      if (rows.empty())
        return ports::make_error(store_errc::not_found, "no live API key " + key_id);
      auto key = read_api_key(rows[0]);
      event.mutable_api_key_revoked()->set_key_hash(key.key_hash);
      pg_event_log::append(tx, {event}, clock::unix_now_ms());
      tx.commit();
      return key;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_credential_store::insert_client(const ports::oauth_client_record& client) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<void> {
      pqxx::nontransaction tx{conn};
      auto written = tx.exec_params(
          "INSERT INTO oauth_clients (client_id, name, secret_hash, scopes, created_by, created_at_ms) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
          client.client_id, client.name, client.secret_hash, join_scopes(client.scopes), client.created_by,
          client.created_at_ms);
      if (written.affected_rows() != 1)
        return ports::make_error(store_errc::duplicate_key, client.client_id);
      return caf::unit;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::optional<ports::oauth_client_record>> pg_credential_store::find_client(
    const std::string& client_id) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_params(
          "SELECT client_id, name, secret_hash, scopes, created_by, created_at_ms FROM oauth_clients "
          "WHERE client_id = $1",
          client_id);
      if (rows.empty())
        return std::optional<ports::oauth_client_record>{};
      const auto& r = rows[0];
      return std::optional<ports::oauth_client_record>{ports::oauth_client_record{
          r[0].c_str(), r[1].c_str(), r[2].c_str(), split_scopes(r[3].c_str()), r[4].c_str(), r[5].as<std::int64_t>()}};
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::vector<ports::signing_key_record>> pg_credential_store::signing_keys() {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return read_signing_keys(tx);
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::vector<ports::signing_key_record>> pg_credential_store::add_signing_key(
    const ports::signing_key_record& key, std::int64_t unless_newer_than_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::work tx{conn};
      // Nodes starting together serialize here, so they agree on one new key.
      tx.exec("LOCK TABLE signing_keys IN EXCLUSIVE MODE");
      auto newer = tx.exec_params("SELECT 1 FROM signing_keys WHERE created_at_ms > $1", unless_newer_than_ms);
      if (newer.empty())
        tx.exec_params(
            "INSERT INTO signing_keys (kid, algorithm, private_pem, public_pem, created_at_ms) VALUES ($1, $2, $3, $4, "
            "$5)",
            key.kid, key.algorithm, key.private_pem, key.public_pem, key.created_at_ms);
      auto keys = read_signing_keys(tx);
      tx.commit();
      return keys;
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
