#include "persistence/sqlite/sqlite_idempotency_store.hpp"

#include "messages/ids/uuid.hpp"
#include "persistence/codec/header_lines.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {
namespace {

// The claim inside the caller's transaction; commits when it wrote.
ports::idempotency_claim claim_in(sqlite_db& db, sqlite_transaction& tx, const ports::claim_request& request) {
  ports::idempotency_claim result;
  auto& row = db.prepare(
      "SELECT fingerprint, state, lease_until_ms, status, headers, body, first_used_ms, expires_at_ms "
      "FROM idempotency_keys WHERE principal_id = ? AND idem_key = ?");
  row.bind(1, request.scope.principal_id).bind(2, request.scope.key);
  bool live = row.step() && row.column_int(7) > request.now_ms;
  auto token = ids::new_uuid_v7();
  if (!live) {
    row.reset();
    db.prepare(
          "INSERT OR REPLACE INTO idempotency_keys (principal_id, idem_key, fingerprint, state, lease_token, "
          "lease_until_ms, first_used_ms, expires_at_ms) VALUES (?, ?, ?, 'in_flight', ?, ?, ?, ?)")
        .bind(1, request.scope.principal_id)
        .bind(2, request.scope.key)
        .bind(3, request.fingerprint)
        .bind(4, token)
        .bind(5, request.now_ms + request.lease_ms)
        .bind(6, request.now_ms)
        .bind(7, request.now_ms + request.ttl_ms)
        .run();
    result.lease_token = std::move(token);
    result.first_used_at_ms = request.now_ms;
    tx.commit();
    return result;
  }
  result.first_used_at_ms = row.column_int(6);
  bool same_request = row.column_text(0) == request.fingerprint;
  bool completed = row.column_text(1) == "completed";
  bool leased = row.column_int(2) > request.now_ms;
  if (same_request && completed)
    result.response = ports::stored_response{static_cast<int>(row.column_int(3)),
                                             decode_header_lines(row.column_text(4)), row.column_text(5)};
  // Done reading before this transaction writes on the same connection.
  row.reset();
  if (!same_request) {
    result.status = ports::claim_status::mismatch;
    return result;
  }
  if (completed) {
    result.status = ports::claim_status::completed;
    return result;
  }
  if (leased) {
    result.status = ports::claim_status::in_flight;
    return result;
  }
  // The first request's lease lapsed without an answer (it crashed or gave
  // up): this one takes the key over, keeping its first use.
  db.prepare("UPDATE idempotency_keys SET lease_token = ?, lease_until_ms = ? WHERE principal_id = ? AND idem_key = ?")
      .bind(1, token)
      .bind(2, request.now_ms + request.lease_ms)
      .bind(3, request.scope.principal_id)
      .bind(4, request.scope.key)
      .run();
  result.lease_token = std::move(token);
  tx.commit();
  return result;
}

}  // namespace

sqlite_idempotency_store::sqlite_idempotency_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<ports::idempotency_claim> sqlite_idempotency_store::claim(const ports::claim_request& request) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    return claim_in(*db, tx, request);
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<bool> sqlite_idempotency_store::complete(const ports::idempotency_scope& scope,
                                                       const std::string& lease_token,
                                                       const ports::stored_response& response) {
  try {
    auto db = pool_->write();
    db->prepare(
          "UPDATE idempotency_keys SET state = 'completed', lease_token = NULL, lease_until_ms = 0, status = ?, "
          "headers = ?, body = ? WHERE principal_id = ? AND idem_key = ? AND lease_token = ? "
          "AND state = 'in_flight'")
        .bind(1, std::int64_t{response.status})
        .bind(2, encode_header_lines(response.headers))
        .bind(3, response.body)
        .bind(4, scope.principal_id)
        .bind(5, scope.key)
        .bind(6, lease_token)
        .run();
    return db->changes() == 1;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<void> sqlite_idempotency_store::release(const ports::idempotency_scope& scope,
                                                      const std::string& lease_token) {
  try {
    auto db = pool_->write();
    db->prepare(
          "UPDATE idempotency_keys SET lease_token = NULL, lease_until_ms = 0 WHERE principal_id = ? AND "
          "idem_key = ? AND lease_token = ? AND state = 'in_flight'")
        .bind(1, scope.principal_id)
        .bind(2, scope.key)
        .bind(3, lease_token)
        .run();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::int64_t> sqlite_idempotency_store::purge_expired(std::int64_t now_ms) {
  try {
    auto db = pool_->write();
    db->prepare("DELETE FROM idempotency_keys WHERE expires_at_ms <= ?").bind(1, now_ms).run();
    return db->changes();
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
