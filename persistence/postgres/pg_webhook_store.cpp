#include "persistence/postgres/pg_webhook_store.hpp"

#include <algorithm>
#include <tuple>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "persistence/codec/event_type_list.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {
namespace {

const std::string endpoint_select =
    "SELECT id, owner_id, url, events, secret, created_at_ms, disabled_at_ms FROM webhook_endpoints ";

// The columns delivery_at reads, in its order.
const std::string delivery_columns =
    "d.id, d.endpoint_id, d.notification_id, d.recipient_id, d.event_type, d.task_id, d.message, "
    "d.notified_at_ms, d.attempts, d.status, d.last_status_code, d.last_error, d.next_attempt_at_ms, "
    "d.delivered_at_ms, d.created_at_ms, d.traceparent";
// Where a query's own columns start after delivery_columns.
constexpr int after_delivery_columns = 16;

// libpqxx 6 binds no std::optional: a null is a null pointer.
struct nullable {
  std::string text;
  bool null = true;
  explicit nullable(const std::optional<std::int64_t>& v) : text(v ? std::to_string(*v) : ""), null(!v) {}
  const char* param() const { return null ? nullptr : text.c_str(); }
};

ports::webhook_endpoint endpoint_at(const pqxx::row& row) {
  ports::webhook_endpoint e;
  e.id = row[0].c_str();
  e.owner_id = row[1].c_str();
  e.url = row[2].c_str();
  e.events = decode_event_types(row[3].c_str());
  e.secret = row[4].c_str();
  e.created_at_ms = row[5].as<std::int64_t>();
  if (!row[6].is_null())
    e.disabled_at_ms = row[6].as<std::int64_t>();
  return e;
}

ports::webhook_delivery delivery_at(const pqxx::row& row) {
  ports::webhook_delivery d;
  d.id = row[0].c_str();
  d.endpoint_id = row[1].c_str();
  d.notification.set_id(row[2].c_str());
  d.notification.set_recipient_id(row[3].c_str());
  d.notification.set_type(row[4].c_str());
  d.notification.set_task_id(row[5].c_str());
  d.notification.set_message(row[6].c_str());
  d.notification.set_created_at_ms(row[7].as<std::int64_t>());
  d.attempts = row[8].as<int>();
  d.status = row[9].c_str();
  if (!row[10].is_null())
    d.last_status_code = row[10].as<int>();
  d.last_error = row[11].c_str();
  d.next_attempt_at_ms = row[12].as<std::int64_t>();
  if (!row[13].is_null())
    d.delivered_at_ms = row[13].as<std::int64_t>();
  d.created_at_ms = row[14].as<std::int64_t>();
  d.notification.set_traceparent(row[15].c_str());
  return d;
}

// Pending deliveries of a disabled endpoint will never be sent.
void fail_pending_of(pqxx::transaction_base& tx, const std::string& endpoint_id) {
  tx.exec_params(
      "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint disabled', lease_owner = NULL, "
      "lease_until_ms = 0 WHERE endpoint_id = $1 AND status = 'pending'",
      endpoint_id);
}

}  // namespace

pg_webhook_store::pg_webhook_store(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

caf::expected<void> pg_webhook_store::create_endpoint(const ports::webhook_endpoint& endpoint) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<void> {
      pqxx::nontransaction tx{conn};
      nullable disabled{endpoint.disabled_at_ms};
      tx.exec_params(
          "INSERT INTO webhook_endpoints (id, owner_id, url, events, secret, created_at_ms, disabled_at_ms) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          endpoint.id, endpoint.owner_id, endpoint.url, encode_event_types(endpoint.events), endpoint.secret,
          endpoint.created_at_ms, disabled.param());
      return caf::unit;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::vector<ports::webhook_endpoint>> pg_webhook_store::endpoints_of(const std::string& owner_id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<ports::webhook_endpoint>> {
      pqxx::nontransaction tx{conn};
      std::vector<ports::webhook_endpoint> out;
      for (const auto& row :
           tx.exec_params(endpoint_select + "WHERE owner_id = $1 ORDER BY created_at_ms, id", owner_id))
        out.push_back(endpoint_at(row));
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::optional<ports::webhook_endpoint>> pg_webhook_store::endpoint(const std::string& id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::optional<ports::webhook_endpoint>> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_params(endpoint_select + "WHERE id = $1", id);
      if (rows.empty())
        return std::optional<ports::webhook_endpoint>{};
      return std::optional<ports::webhook_endpoint>{endpoint_at(rows[0])};
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<bool> pg_webhook_store::delete_endpoint(const std::string& id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<bool> {
      pqxx::work tx{conn};
      auto deleted = tx.exec_params("DELETE FROM webhook_endpoints WHERE id = $1", id).affected_rows() > 0;
      tx.exec_params("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", id);
      tx.commit();
      return deleted;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<bool> pg_webhook_store::disable_endpoint(const std::string& id, std::int64_t now_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<bool> {
      pqxx::work tx{conn};
      auto found =
          tx.exec_params("UPDATE webhook_endpoints SET disabled_at_ms = COALESCE(disabled_at_ms, $1) WHERE id = $2",
                         now_ms, id)
              .affected_rows() > 0;
      fail_pending_of(tx, id);
      tx.commit();
      return found;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::size_t> pg_webhook_store::enqueue_deliveries(
    const std::vector<messages::Notification>& notifications, std::int64_t now_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::size_t> {
      pqxx::work tx{conn};
      std::size_t added = 0;
      for (const auto& n : notifications) {
        auto endpoints =
            tx.exec_params("SELECT id, events FROM webhook_endpoints WHERE owner_id = $1 AND disabled_at_ms IS NULL",
                           n.recipient_id());
        for (const auto& row : endpoints) {
          if (!lists_event_type(row[1].c_str(), n.type()))
            continue;
          std::string endpoint_id = row[0].c_str();
          added += static_cast<std::size_t>(
              tx.exec_params("INSERT INTO webhook_deliveries (id, endpoint_id, notification_id, recipient_id, "
                             "event_type, task_id, message, notified_at_ms, status, next_attempt_at_ms, "
                             "created_at_ms, traceparent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9, "
                             "$10) ON CONFLICT (id) DO NOTHING",
                             ports::webhook_delivery_id(endpoint_id, n.id()), endpoint_id, n.id(), n.recipient_id(),
                             n.type(), n.task_id(), n.message(), n.created_at_ms(), now_ms, n.traceparent())
                  .affected_rows());
        }
      }
      tx.commit();
      return added;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::vector<ports::leased_delivery>> pg_webhook_store::lease_due(const std::string& node_id,
                                                                               std::int64_t now_ms,
                                                                               std::int64_t lease_ms,
                                                                               std::size_t limit) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<ports::leased_delivery>> {
      pqxx::work tx{conn};
      // SKIP LOCKED: rows another node is leasing right now are left to it
      // rather than waited for; the lease columns keep them its own after
      // the commit.
      auto rows = tx.exec_params(
          "WITH due AS (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at_ms <= $1 "
          "AND lease_until_ms <= $1 ORDER BY next_attempt_at_ms, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
          "UPDATE webhook_deliveries d SET lease_owner = $3, lease_until_ms = $4 "
          "FROM due, webhook_endpoints e WHERE d.id = due.id AND e.id = d.endpoint_id "
          "RETURNING " +
              delivery_columns + ", e.url, e.secret",
          now_ms, static_cast<std::int64_t>(limit), node_id, now_ms + lease_ms);
      tx.commit();
      std::vector<ports::leased_delivery> out;
      for (const auto& row : rows) {
        auto& leased = out.emplace_back();
        leased.delivery = delivery_at(row);
        leased.url = row[after_delivery_columns].c_str();
        leased.secret = row[after_delivery_columns + 1].c_str();
        leased.lease_until_ms = now_ms + lease_ms;
      }
      // RETURNING keeps no order; the oldest due go first.
      std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.delivery.next_attempt_at_ms, a.delivery.id) <
               std::tie(b.delivery.next_attempt_at_ms, b.delivery.id);
      });
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<bool> pg_webhook_store::record_attempt(const std::string& node_id, const ports::attempt_record& attempt,
                                                     std::int64_t now_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<bool> {
      pqxx::work tx{conn};
      nullable code{attempt.status_code ? std::optional<std::int64_t>{*attempt.status_code} : std::nullopt};
      nullable next{attempt.next_attempt_at_ms};
      nullable delivered{attempt.delivered_at_ms};
      auto rows = tx.exec_params(
          "UPDATE webhook_deliveries SET attempts = $1, status = $2, last_status_code = $3, last_error = $4, "
          "next_attempt_at_ms = COALESCE($5, next_attempt_at_ms), delivered_at_ms = $6, lease_owner = NULL, "
          "lease_until_ms = 0 WHERE id = $7 AND lease_owner = $8 AND attempts = $9 RETURNING endpoint_id",
          attempt.attempts, attempt.status, code.param(), attempt.error, next.param(), delivered.param(),
          attempt.delivery_id, node_id, attempt.attempts - 1);
      if (rows.empty())
        return false;
      if (attempt.disable_endpoint) {
        std::string endpoint_id = rows[0][0].c_str();
        tx.exec_params("UPDATE webhook_endpoints SET disabled_at_ms = COALESCE(disabled_at_ms, $1) WHERE id = $2",
                       now_ms, endpoint_id);
        fail_pending_of(tx, endpoint_id);
      }
      tx.commit();
      return true;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<bool> pg_webhook_store::postpone(const std::string& node_id, const std::string& delivery_id,
                                               std::int64_t next_attempt_at_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<bool> {
      pqxx::nontransaction tx{conn};
      return tx.exec_params(
                   "UPDATE webhook_deliveries SET next_attempt_at_ms = $1, lease_owner = NULL, lease_until_ms = 0 "
                   "WHERE id = $2 AND lease_owner = $3 AND status = 'pending'",
                   next_attempt_at_ms, delivery_id, node_id)
                 .affected_rows() > 0;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<ports::delivery_page> pg_webhook_store::deliveries(const std::string& endpoint_id, std::size_t limit,
                                                                 const std::optional<ports::delivery_position>& after) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<ports::delivery_page> {
      pqxx::nontransaction tx{conn};
      auto at = after.value_or(ports::delivery_position{});
      auto rows =
          tx.exec_params("SELECT " + delivery_columns +
                             " FROM webhook_deliveries d WHERE d.endpoint_id = $1 "
                             "AND (NOT $2 OR (d.created_at_ms, d.id) < ($3, $4)) "
                             "ORDER BY d.created_at_ms DESC, d.id DESC LIMIT $5",
                         endpoint_id, after.has_value(), at.created_at_ms, at.id, static_cast<std::int64_t>(limit) + 1);
      ports::delivery_page page;
      for (const auto& row : rows) {
        if (page.items.size() == limit) {
          page.more = true;
          break;
        }
        page.items.push_back(delivery_at(row));
      }
      return page;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<ports::webhook_backlog> pg_webhook_store::backlog() {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<ports::webhook_backlog> {
      pqxx::nontransaction tx{conn};
      ports::webhook_backlog out;
      out.pending = tx.exec("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")[0][0].as<std::size_t>();
      for (const auto& row :
           tx.exec("SELECT endpoint_id, COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND attempts > 0 "
                   "GROUP BY endpoint_id ORDER BY COUNT(*) DESC, endpoint_id LIMIT 100"))
        out.retrying_by_endpoint.emplace_back(row[0].c_str(), row[1].as<std::size_t>());
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
