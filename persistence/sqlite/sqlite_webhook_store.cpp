#include "persistence/sqlite/sqlite_webhook_store.hpp"

#include "persistence/codec/event_type_list.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {
namespace {

constexpr const char* endpoint_columns = "id, owner_id, url, events, secret, created_at_ms, disabled_at_ms";

// The columns delivery_at reads, in its order.
const std::string delivery_columns =
    "d.id, d.endpoint_id, d.notification_id, d.recipient_id, d.event_type, d.task_id, d.message, "
    "d.notified_at_ms, d.attempts, d.status, d.last_status_code, d.last_error, d.next_attempt_at_ms, "
    "d.delivered_at_ms, d.created_at_ms, d.traceparent";
// Where a query's own columns start after delivery_columns.
constexpr int after_delivery_columns = 16;

ports::webhook_endpoint endpoint_at(const sqlite_statement& q) {
  ports::webhook_endpoint e;
  e.id = q.column_text(0);
  e.owner_id = q.column_text(1);
  e.url = q.column_text(2);
  e.events = decode_event_types(q.column_text(3));
  e.secret = q.column_text(4);
  e.created_at_ms = q.column_int(5);
  if (!q.column_is_null(6))
    e.disabled_at_ms = q.column_int(6);
  return e;
}

ports::webhook_delivery delivery_at(const sqlite_statement& q) {
  ports::webhook_delivery d;
  d.id = q.column_text(0);
  d.endpoint_id = q.column_text(1);
  d.notification.set_id(q.column_text(2));
  d.notification.set_recipient_id(q.column_text(3));
  d.notification.set_type(q.column_text(4));
  d.notification.set_task_id(q.column_text(5));
  d.notification.set_message(q.column_text(6));
  d.notification.set_created_at_ms(q.column_int(7));
  d.attempts = static_cast<int>(q.column_int(8));
  d.status = q.column_text(9);
  if (!q.column_is_null(10))
    d.last_status_code = static_cast<int>(q.column_int(10));
  d.last_error = q.column_text(11);
  d.next_attempt_at_ms = q.column_int(12);
  if (!q.column_is_null(13))
    d.delivered_at_ms = q.column_int(13);
  d.created_at_ms = q.column_int(14);
  d.notification.set_traceparent(q.column_text(15));
  return d;
}

sqlite_statement& bind_optional_int(sqlite_statement& q, int index, const std::optional<std::int64_t>& value) {
  return value ? q.bind(index, *value) : q.bind_null(index);
}

// Pending deliveries of a disabled endpoint will never be sent.
void fail_pending_of(sqlite_db& db, const std::string& endpoint_id) {
  db.prepare(
        "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint disabled', lease_owner = NULL, "
        "lease_until_ms = 0 WHERE endpoint_id = ? AND status = 'pending'")
      .bind(1, endpoint_id)
      .run();
}

}  // namespace

sqlite_webhook_store::sqlite_webhook_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<void> sqlite_webhook_store::create_endpoint(const ports::webhook_endpoint& endpoint) {
  try {
    auto db = pool_->write();
    auto& q = db->prepare(
        "INSERT INTO webhook_endpoints (id, owner_id, url, events, secret, created_at_ms, disabled_at_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, endpoint.id)
        .bind(2, endpoint.owner_id)
        .bind(3, endpoint.url)
        .bind(4, encode_event_types(endpoint.events))
        .bind(5, endpoint.secret)
        .bind(6, endpoint.created_at_ms);
    bind_optional_int(q, 7, endpoint.disabled_at_ms).run();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::vector<ports::webhook_endpoint>> sqlite_webhook_store::endpoints_of(const std::string& owner_id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(std::string{"SELECT "} + endpoint_columns +
                          " FROM webhook_endpoints WHERE owner_id = ? ORDER BY created_at_ms, id");
    q.bind(1, owner_id);
    std::vector<ports::webhook_endpoint> out;
    while (q.step())
      out.push_back(endpoint_at(q));
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::optional<ports::webhook_endpoint>> sqlite_webhook_store::endpoint(const std::string& id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(std::string{"SELECT "} + endpoint_columns + " FROM webhook_endpoints WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
      return std::optional<ports::webhook_endpoint>{};
    return std::optional<ports::webhook_endpoint>{endpoint_at(q)};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<bool> sqlite_webhook_store::delete_endpoint(const std::string& id) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    db->prepare("DELETE FROM webhook_endpoints WHERE id = ?").bind(1, id).run();
    auto deleted = db->changes() > 0;
    db->prepare("DELETE FROM webhook_deliveries WHERE endpoint_id = ?").bind(1, id).run();
    tx.commit();
    return deleted;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<bool> sqlite_webhook_store::disable_endpoint(const std::string& id, std::int64_t now_ms) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    db->prepare("UPDATE webhook_endpoints SET disabled_at_ms = COALESCE(disabled_at_ms, ?) WHERE id = ?")
        .bind(1, now_ms)
        .bind(2, id)
        .run();
    auto found = db->changes() > 0;
    fail_pending_of(*db, id);
    tx.commit();
    return found;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::size_t> sqlite_webhook_store::enqueue_deliveries(
    const std::vector<messages::Notification>& notifications, std::int64_t now_ms) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    std::size_t added = 0;
    for (const auto& n : notifications) {
      std::vector<std::string> wanting;
      {
        auto& q = db->prepare("SELECT id, events FROM webhook_endpoints WHERE owner_id = ? AND disabled_at_ms IS NULL");
        q.bind(1, n.recipient_id());
        while (q.step())
          if (lists_event_type(q.column_text(1), n.type()))
            wanting.push_back(q.column_text(0));
      }
      for (const auto& endpoint_id : wanting) {
        db->prepare(
              "INSERT INTO webhook_deliveries (id, endpoint_id, notification_id, recipient_id, event_type, task_id, "
              "message, notified_at_ms, status, next_attempt_at_ms, created_at_ms, traceparent) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (id) DO NOTHING")
            .bind(1, ports::webhook_delivery_id(endpoint_id, n.id()))
            .bind(2, endpoint_id)
            .bind(3, n.id())
            .bind(4, n.recipient_id())
            .bind(5, n.type())
            .bind(6, n.task_id())
            .bind(7, n.message())
            .bind(8, n.created_at_ms())
            .bind(9, now_ms)
            .bind(10, now_ms)
            .bind(11, n.traceparent())
            .run();
        added += static_cast<std::size_t>(db->changes());
      }
    }
    tx.commit();
    return added;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::vector<ports::leased_delivery>> sqlite_webhook_store::lease_due(const std::string& node_id,
                                                                                   std::int64_t now_ms,
                                                                                   std::int64_t lease_ms,
                                                                                   std::size_t limit) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    std::vector<ports::leased_delivery> out;
    {
      auto& q =
          db->prepare("SELECT " + delivery_columns +
                      ", e.url, e.secret FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
                      "WHERE d.status = 'pending' AND d.next_attempt_at_ms <= ? AND d.lease_until_ms <= ? "
                      "ORDER BY d.next_attempt_at_ms, d.id LIMIT ?");
      q.bind(1, now_ms).bind(2, now_ms).bind(3, static_cast<std::int64_t>(limit));
      while (q.step()) {
        auto& leased = out.emplace_back();
        leased.delivery = delivery_at(q);
        leased.url = q.column_text(after_delivery_columns);
        leased.secret = q.column_text(after_delivery_columns + 1);
        leased.lease_until_ms = now_ms + lease_ms;
      }
    }
    for (const auto& leased : out)
      db->prepare("UPDATE webhook_deliveries SET lease_owner = ?, lease_until_ms = ? WHERE id = ?")
          .bind(1, node_id)
          .bind(2, leased.lease_until_ms)
          .bind(3, leased.delivery.id)
          .run();
    tx.commit();
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<bool> sqlite_webhook_store::record_attempt(const std::string& node_id,
                                                         const ports::attempt_record& attempt, std::int64_t now_ms) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    auto& q = db->prepare(
        "UPDATE webhook_deliveries SET attempts = ?, status = ?, last_status_code = ?, last_error = ?, "
        "next_attempt_at_ms = COALESCE(?, next_attempt_at_ms), delivered_at_ms = ?, lease_owner = NULL, "
        "lease_until_ms = 0 WHERE id = ? AND lease_owner = ? AND attempts = ?");
    q.bind(1, std::int64_t{attempt.attempts}).bind(2, attempt.status);
    bind_optional_int(q, 3, attempt.status_code ? std::optional<std::int64_t>{*attempt.status_code} : std::nullopt);
    q.bind(4, attempt.error);
    bind_optional_int(q, 5, attempt.next_attempt_at_ms);
    bind_optional_int(q, 6, attempt.delivered_at_ms);
    q.bind(7, attempt.delivery_id).bind(8, node_id).bind(9, std::int64_t{attempt.attempts - 1}).run();
    if (db->changes() == 0)
      return false;
    if (attempt.disable_endpoint) {
      std::string endpoint_id;
      {
        auto& find = db->prepare("SELECT endpoint_id FROM webhook_deliveries WHERE id = ?");
        find.bind(1, attempt.delivery_id);
        if (find.step())
          endpoint_id = find.column_text(0);
      }
      db->prepare("UPDATE webhook_endpoints SET disabled_at_ms = COALESCE(disabled_at_ms, ?) WHERE id = ?")
          .bind(1, now_ms)
          .bind(2, endpoint_id)
          .run();
      fail_pending_of(*db, endpoint_id);
    }
    tx.commit();
    return true;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<bool> sqlite_webhook_store::postpone(const std::string& node_id, const std::string& delivery_id,
                                                   std::int64_t next_attempt_at_ms) {
  try {
    auto db = pool_->write();
    db->prepare(
          "UPDATE webhook_deliveries SET next_attempt_at_ms = ?, lease_owner = NULL, lease_until_ms = 0 "
          "WHERE id = ? AND lease_owner = ? AND status = 'pending'")
        .bind(1, next_attempt_at_ms)
        .bind(2, delivery_id)
        .bind(3, node_id)
        .run();
    return db->changes() > 0;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<ports::delivery_page> sqlite_webhook_store::deliveries(
    const std::string& endpoint_id, std::size_t limit, const std::optional<ports::delivery_position>& after) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT " + delivery_columns +
                          " FROM webhook_deliveries d WHERE d.endpoint_id = ? "
                          "AND (? = 0 OR d.created_at_ms < ? OR (d.created_at_ms = ? AND d.id < ?)) "
                          "ORDER BY d.created_at_ms DESC, d.id DESC LIMIT ?");
    auto at = after.value_or(ports::delivery_position{});
    q.bind(1, endpoint_id)
        .bind(2, std::int64_t{after.has_value()})
        .bind(3, at.created_at_ms)
        .bind(4, at.created_at_ms)
        .bind(5, at.id)
        .bind(6, static_cast<std::int64_t>(limit) + 1);
    ports::delivery_page page;
    while (q.step()) {
      if (page.items.size() == limit) {
        page.more = true;
        break;
      }
      page.items.push_back(delivery_at(q));
    }
    return page;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<ports::webhook_backlog> sqlite_webhook_store::backlog() {
  try {
    auto db = pool_->read();
    ports::webhook_backlog out;
    {
      auto& q = db->prepare("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'");
      if (q.step())
        out.pending = static_cast<std::size_t>(q.column_int(0));
    }
    auto& q = db->prepare(
        "SELECT endpoint_id, COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND attempts > 0 "
        "GROUP BY endpoint_id ORDER BY COUNT(*) DESC, endpoint_id LIMIT 100");
    while (q.step())
      out.retrying_by_endpoint.emplace_back(q.column_text(0), static_cast<std::size_t>(q.column_int(1)));
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
