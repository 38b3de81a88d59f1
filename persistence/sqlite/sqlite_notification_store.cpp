#include "persistence/sqlite/sqlite_notification_store.hpp"

#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {

sqlite_notification_store::sqlite_notification_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::vector<messages::Notification>> sqlite_notification_store::record(
    const std::string& consumer, const std::vector<ports::event_notifications>& events, std::int64_t now_ms) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    std::vector<messages::Notification> added;
    for (const auto& e : events) {
      db->prepare("INSERT OR IGNORE INTO inbox (consumer, event_id, processed_at_ms) VALUES (?, ?, ?)")
          .bind(1, consumer)
          .bind(2, e.event_id)
          .bind(3, now_ms)
          .run();
      if (db->changes() == 0)
        continue;
      for (const auto& n : e.notifications) {
        db->prepare(
              "INSERT INTO notifications (id, recipient_id, type, task_id, message, created_at_ms) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
            .bind(1, n.id())
            .bind(2, n.recipient_id())
            .bind(3, n.type())
            .bind(4, n.task_id())
            .bind(5, n.message())
            .bind(6, n.created_at_ms())
            .run();
        if (db->changes() > 0)
          added.push_back(n);
      }
    }
    tx.commit();
    return added;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::optional<ports::feed_position>> sqlite_notification_store::position_of(
    const std::string& recipient_id, const std::string& id) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT created_at_ms FROM notifications WHERE id = ? AND recipient_id = ?");
    q.bind(1, id).bind(2, recipient_id);
    if (!q.step())
      return std::optional<ports::feed_position>{};
    return std::optional{ports::feed_position{q.column_int(0), id}};
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::vector<messages::Notification>> sqlite_notification_store::newer_than(
    const std::string& recipient_id, const ports::feed_position& after, std::size_t limit) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(
        "SELECT id, type, task_id, message, created_at_ms FROM notifications "
        "WHERE recipient_id = ? AND (created_at_ms > ? OR (created_at_ms = ? AND id > ?)) "
        "ORDER BY created_at_ms, id LIMIT ?");
    q.bind(1, recipient_id)
        .bind(2, after.created_at_ms)
        .bind(3, after.created_at_ms)
        .bind(4, after.id)
        .bind(5, static_cast<std::int64_t>(limit));
    std::vector<messages::Notification> out;
    while (q.step()) {
      auto& n = out.emplace_back();
      n.set_id(q.column_text(0));
      n.set_recipient_id(recipient_id);
      n.set_type(q.column_text(1));
      n.set_task_id(q.column_text(2));
      n.set_message(q.column_text(3));
      n.set_created_at_ms(q.column_int(4));
    }
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<ports::feed_page> sqlite_notification_store::feed(const ports::feed_query& query) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare(
        "SELECT id, recipient_id, type, task_id, message, created_at_ms, read_at_ms FROM notifications "
        "WHERE recipient_id = ? AND (? = 0 OR read_at_ms IS NULL) "
        "AND (? = 0 OR created_at_ms < ? OR (created_at_ms = ? AND id < ?)) "
        "ORDER BY created_at_ms DESC, id DESC LIMIT ?");
    auto after = query.after.value_or(ports::feed_position{});
    q.bind(1, query.recipient_id)
        .bind(2, std::int64_t{query.unread_only})
        .bind(3, std::int64_t{query.after.has_value()})
        .bind(4, after.created_at_ms)
        .bind(5, after.created_at_ms)
        .bind(6, after.id)
        .bind(7, static_cast<std::int64_t>(query.limit) + 1);
    ports::feed_page page;
    while (q.step()) {
      if (page.items.size() == query.limit) {
        page.more = true;
        break;
      }
      auto& entry = page.items.emplace_back();
      entry.notification.set_id(q.column_text(0));
      entry.notification.set_recipient_id(q.column_text(1));
      entry.notification.set_type(q.column_text(2));
      entry.notification.set_task_id(q.column_text(3));
      entry.notification.set_message(q.column_text(4));
      entry.notification.set_created_at_ms(q.column_int(5));
      if (!q.column_is_null(6))
        entry.read_at_ms = q.column_int(6);
    }
    return page;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<bool> sqlite_notification_store::mark_read(const std::string& recipient_id, const std::string& id,
                                                         std::int64_t now_ms) {
  try {
    auto db = pool_->write();
    db->prepare("UPDATE notifications SET read_at_ms = COALESCE(read_at_ms, ?) WHERE id = ? AND recipient_id = ?")
        .bind(1, now_ms)
        .bind(2, id)
        .bind(3, recipient_id)
        .run();
    return db->changes() > 0;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
