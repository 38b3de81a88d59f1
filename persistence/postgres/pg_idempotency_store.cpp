#include "persistence/postgres/pg_idempotency_store.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "messages/ids/uuid.hpp"
#include "persistence/codec/header_lines.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {
namespace {

// Inserting first means a fresh key costs one statement; ON CONFLICT waits
// for a concurrent inserter to finish, so the loser then sees its row.
constexpr auto insert_claim =
    "INSERT INTO idempotency_keys (principal_id, idem_key, fingerprint, state, lease_token, lease_until_ms, "
    "first_used_ms, expires_at_ms) VALUES ($1, $2, $3, 'in_flight', $4, $5, $6, $7) ON CONFLICT DO NOTHING";

// An expired record counts as absent: it is replaced as if it were new.
constexpr auto replace_expired =
    "UPDATE idempotency_keys SET fingerprint = $3, state = 'in_flight', lease_token = $4, lease_until_ms = $5, "
    "status = NULL, headers = NULL, body = NULL, first_used_ms = $6, expires_at_ms = $7 "
    "WHERE principal_id = $1 AND idem_key = $2";

// Only as many tries as it takes for a purge racing between the insert and
// the lock to be seen; each try runs in a transaction of its own.
constexpr int claim_attempts = 3;

std::optional<ports::idempotency_claim> try_claim(pqxx::connection& conn, const ports::claim_request& r) {
  pqxx::work tx{conn};
  const auto& scope = r.scope;
  auto token = ids::new_uuid_v7();
  auto lease_until = r.now_ms + r.lease_ms;
  auto expires = r.now_ms + r.ttl_ms;
  ports::idempotency_claim result;
  if (tx.exec_params(insert_claim, scope.principal_id, scope.key, r.fingerprint, token, lease_until, r.now_ms, expires)
          .affected_rows() == 1) {
    tx.commit();
    result.lease_token = std::move(token);
    result.first_used_at_ms = r.now_ms;
    return result;
  }
  auto rows = tx.exec_params(
      "SELECT fingerprint, state, lease_until_ms, status, headers, body, first_used_ms, expires_at_ms "
      "FROM idempotency_keys WHERE principal_id = $1 AND idem_key = $2 FOR UPDATE",
      scope.principal_id, scope.key);
  if (rows.empty())
    return std::nullopt;  // purged since the insert: try again
  const auto& row = rows[0];
  if (row[7].as<std::int64_t>() <= r.now_ms) {
    tx.exec_params(replace_expired, scope.principal_id, scope.key, r.fingerprint, token, lease_until, r.now_ms,
                   expires);
    tx.commit();
    result.lease_token = std::move(token);
    result.first_used_at_ms = r.now_ms;
    return result;
  }
  result.first_used_at_ms = row[6].as<std::int64_t>();
  if (row[0].c_str() != r.fingerprint) {
    result.status = ports::claim_status::mismatch;
    return result;
  }
  if (std::string_view{row[1].c_str()} == "completed") {
    result.status = ports::claim_status::completed;
    result.response =
        ports::stored_response{row[3].as<int>(), decode_header_lines(row[4].c_str()), std::string{row[5].c_str()}};
    return result;
  }
  if (row[2].as<std::int64_t>() > r.now_ms) {
    result.status = ports::claim_status::in_flight;
    return result;
  }
  // The first request's lease lapsed without an answer (it crashed or gave
  // up): this one takes the key over, keeping its first use.
  tx.exec_params(
      "UPDATE idempotency_keys SET lease_token = $3, lease_until_ms = $4 WHERE principal_id = $1 AND idem_key = $2",
      scope.principal_id, scope.key, token, lease_until);
  tx.commit();
  result.lease_token = std::move(token);
  return result;
}

}  // namespace

pg_idempotency_store::pg_idempotency_store(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

caf::expected<ports::idempotency_claim> pg_idempotency_store::claim(const ports::claim_request& request) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<ports::idempotency_claim> {
      for (int attempt = 0; attempt < claim_attempts; ++attempt)
        if (auto claimed = try_claim(conn, request))
          return std::move(*claimed);
      return ports::make_error(ports::store_errc::timeout, "the Idempotency-Key record kept changing under the claim");
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<bool> pg_idempotency_store::complete(const ports::idempotency_scope& scope,
                                                   const std::string& lease_token,
                                                   const ports::stored_response& response) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      auto written = tx.exec_params(
          "UPDATE idempotency_keys SET state = 'completed', lease_token = NULL, lease_until_ms = 0, status = $4, "
          "headers = $5, body = $6 WHERE principal_id = $1 AND idem_key = $2 AND lease_token = $3 "
          "AND state = 'in_flight'",
          scope.principal_id, scope.key, lease_token, response.status, encode_header_lines(response.headers),
          response.body);
      return written.affected_rows() == 1;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_idempotency_store::release(const ports::idempotency_scope& scope,
                                                  const std::string& lease_token) {
  try {
    pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      tx.exec_params(
          "UPDATE idempotency_keys SET lease_token = NULL, lease_until_ms = 0 WHERE principal_id = $1 AND "
          "idem_key = $2 AND lease_token = $3 AND state = 'in_flight'",
          scope.principal_id, scope.key, lease_token);
    });
    return caf::unit;
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::int64_t> pg_idempotency_store::purge_expired(std::int64_t now_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return static_cast<std::int64_t>(
          tx.exec_params("DELETE FROM idempotency_keys WHERE expires_at_ms <= $1", now_ms).affected_rows());
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
