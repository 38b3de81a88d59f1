#include "persistence/postgres/pg_notification_store.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {

pg_notification_store::pg_notification_store(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::vector<messages::Notification>> pg_notification_store::record(
    const std::string& consumer, const std::vector<ports::event_notifications>& events, std::int64_t now_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<messages::Notification>> {
      pqxx::work tx{conn};
      std::vector<messages::Notification> added;
      for (const auto& e : events) {
        auto fresh = tx.exec_params(
            "INSERT INTO inbox (consumer, event_id, processed_at_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            consumer, e.event_id, now_ms);
        if (fresh.affected_rows() == 0)
          continue;
        for (const auto& n : e.notifications)
          if (tx.exec_params("INSERT INTO notifications (id, recipient_id, type, task_id, message, created_at_ms) "
                             "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                             n.id(), n.recipient_id(), n.type(), n.task_id(), n.message(), n.created_at_ms())
                  .affected_rows() > 0)
            added.push_back(n);
      }
      tx.commit();
      return added;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::optional<ports::feed_position>> pg_notification_store::position_of(const std::string& recipient_id,
                                                                                      const std::string& id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::optional<ports::feed_position>> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_params("SELECT created_at_ms FROM notifications WHERE id = $1 AND recipient_id = $2", id,
                                 recipient_id);
      if (rows.empty())
        return std::optional<ports::feed_position>{};
      return std::optional{ports::feed_position{rows[0][0].as<std::int64_t>(), id}};
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::vector<messages::Notification>> pg_notification_store::newer_than(const std::string& recipient_id,
                                                                                     const ports::feed_position& after,
                                                                                     std::size_t limit) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<messages::Notification>> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_params(
          "SELECT id, type, task_id, message, created_at_ms FROM notifications "
          "WHERE recipient_id = $1 AND (created_at_ms, id) > ($2, $3) ORDER BY created_at_ms, id LIMIT $4",
          recipient_id, after.created_at_ms, after.id, static_cast<std::int64_t>(limit));
      std::vector<messages::Notification> out;
      for (const auto& row : rows) {
        auto& n = out.emplace_back();
        n.set_id(row[0].c_str());
        n.set_recipient_id(recipient_id);
        n.set_type(row[1].c_str());
        n.set_task_id(row[2].c_str());
        n.set_message(row[3].c_str());
        n.set_created_at_ms(row[4].as<std::int64_t>());
      }
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<ports::feed_page> pg_notification_store::feed(const ports::feed_query& query) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<ports::feed_page> {
      pqxx::nontransaction tx{conn};
      auto after = query.after.value_or(ports::feed_position{});
      auto rows = tx.exec_params(
          "SELECT id, recipient_id, type, task_id, message, created_at_ms, read_at_ms FROM notifications "
          "WHERE recipient_id = $1 AND (NOT $2 OR read_at_ms IS NULL) "
          "AND (NOT $3 OR (created_at_ms, id) < ($4, $5)) "
          "ORDER BY created_at_ms DESC, id DESC LIMIT $6",
          query.recipient_id, query.unread_only, query.after.has_value(), after.created_at_ms, after.id,
          static_cast<std::int64_t>(query.limit) + 1);
      ports::feed_page page;
      for (const auto& row : rows) {
        if (page.items.size() == query.limit) {
          page.more = true;
          break;
        }
        auto& entry = page.items.emplace_back();
        entry.notification.set_id(row[0].c_str());
        entry.notification.set_recipient_id(row[1].c_str());
        entry.notification.set_type(row[2].c_str());
        entry.notification.set_task_id(row[3].c_str());
        entry.notification.set_message(row[4].c_str());
        entry.notification.set_created_at_ms(row[5].as<std::int64_t>());
        if (!row[6].is_null())
          entry.read_at_ms = row[6].as<std::int64_t>();
      }
      return page;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<bool> pg_notification_store::mark_read(const std::string& recipient_id, const std::string& id,
                                                     std::int64_t now_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<bool> {
      pqxx::nontransaction tx{conn};
      auto updated = tx.exec_params(
          "UPDATE notifications SET read_at_ms = COALESCE(read_at_ms, $1) WHERE id = $2 AND recipient_id = $3", now_ms,
          id, recipient_id);
      return updated.affected_rows() > 0;
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
