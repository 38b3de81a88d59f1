#include "persistence/sqlite/sqlite_idempotency_store.hpp"

#include "messages/ids/uuid.hpp"
#include "persistence/sqlite/sqlite_db.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

caf::error to_error(const sqlite_error& e) {
  if (e.is_busy())
    return ports::make_error(store_errc::timeout, e.what());
  return ports::make_error(store_errc::unavailable, e.what());
}

// Header lines as HTTP writes them ("Name: value\n"): values cannot hold a
// line break, so the encoding needs no escaping and reads well in sqlite3.
std::string encode_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers)
    out.append(name).append(": ").append(value).append("\n");
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_headers(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    auto line = text.substr(start, end - start);
    if (auto colon = line.find(": "); colon != std::string::npos)
      out.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    start = end + 1;
  }
  return out;
}

}  // namespace

sqlite_idempotency_store::sqlite_idempotency_store(std::shared_ptr<sqlite_store> store) : store_(std::move(store)) {}

caf::expected<ports::idempotency_claim> sqlite_idempotency_store::claim(const ports::claim_request& request) {
  try {
    ports::idempotency_claim result;
    store_->with_connection(true, [&](sqlite_db& db) {
      sqlite_transaction tx{db};
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
        return;
      }
      result.first_used_at_ms = row.column_int(6);
      bool same_request = row.column_text(0) == request.fingerprint;
      bool completed = row.column_text(1) == "completed";
      bool leased = row.column_int(2) > request.now_ms;
      if (same_request && completed)
        result.response = ports::stored_response{static_cast<int>(row.column_int(3)),
                                                 decode_headers(row.column_text(4)), row.column_text(5)};
      // Done reading before this transaction writes on the same connection.
      row.reset();
      if (!same_request) {
        result.status = ports::claim_status::mismatch;
        return;
      }
      if (completed) {
        result.status = ports::claim_status::completed;
        return;
      }
      if (leased) {
        result.status = ports::claim_status::in_flight;
        return;
      }
      // The first request's lease lapsed without an answer (it crashed or
      // gave up): this one takes the key over, keeping its first use.
      db.prepare(
            "UPDATE idempotency_keys SET lease_token = ?, lease_until_ms = ? WHERE principal_id = ? AND idem_key = ?")
          .bind(1, token)
          .bind(2, request.now_ms + request.lease_ms)
          .bind(3, request.scope.principal_id)
          .bind(4, request.scope.key)
          .run();
      result.lease_token = std::move(token);
      tx.commit();
    });
    return result;
  } catch (const sqlite_error& e) {
    return to_error(e);
  }
}

caf::expected<bool> sqlite_idempotency_store::complete(const ports::idempotency_scope& scope,
                                                       const std::string& lease_token,
                                                       const ports::stored_response& response) {
  try {
    bool stored = false;
    store_->with_connection(true, [&](sqlite_db& db) {
      db.prepare(
            "UPDATE idempotency_keys SET state = 'completed', lease_token = NULL, lease_until_ms = 0, status = ?, "
            "headers = ?, body = ? WHERE principal_id = ? AND idem_key = ? AND lease_token = ? "
            "AND state = 'in_flight'")
          .bind(1, std::int64_t{response.status})
          .bind(2, encode_headers(response.headers))
          .bind(3, response.body)
          .bind(4, scope.principal_id)
          .bind(5, scope.key)
          .bind(6, lease_token)
          .run();
      stored = db.changes() == 1;
    });
    return stored;
  } catch (const sqlite_error& e) {
    return to_error(e);
  }
}

caf::expected<void> sqlite_idempotency_store::release(const ports::idempotency_scope& scope,
                                                      const std::string& lease_token) {
  try {
    store_->with_connection(true, [&](sqlite_db& db) {
      db.prepare(
            "UPDATE idempotency_keys SET lease_token = NULL, lease_until_ms = 0 WHERE principal_id = ? AND "
            "idem_key = ? AND lease_token = ? AND state = 'in_flight'")
          .bind(1, scope.principal_id)
          .bind(2, scope.key)
          .bind(3, lease_token)
          .run();
    });
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_error(e);
  }
}

caf::expected<std::int64_t> sqlite_idempotency_store::purge_expired(std::int64_t now_ms) {
  try {
    std::int64_t purged = 0;
    store_->with_connection(true, [&](sqlite_db& db) {
      db.prepare("DELETE FROM idempotency_keys WHERE expires_at_ms <= ?").bind(1, now_ms).run();
      purged = db.changes();
    });
    return purged;
  } catch (const sqlite_error& e) {
    return to_error(e);
  }
}

}  // namespace taskflow::persistence
