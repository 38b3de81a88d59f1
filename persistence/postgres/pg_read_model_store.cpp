#include "persistence/postgres/pg_read_model_store.hpp"

#include <optional>
#include <string>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "actors/task/task_status.hpp"
#include "messages/time/unix_clock.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"
#include "persistence/postgres/pg_projection.hpp"

namespace taskflow::persistence {
namespace {

// $3 and $4 of the list statements: NULL when the query does not filter.
std::optional<std::string> status_filter(const messages::ListTasksQuery& query) {
  if (!query.has_status())
    return std::nullopt;
  return std::string{task::status_name(query.status())};
}

std::optional<std::string> assignee_filter(const messages::ListTasksQuery& query) {
  if (!query.has_assignee_id())
    return std::nullopt;
  return query.assignee_id();
}

}  // namespace

pg_read_model_store::pg_read_model_store(std::shared_ptr<pg_pool> pool) : pool_(std::move(pool)) {}

void pg_read_model_store::prepare(pqxx::connection& conn) {
  // $1 viewer, $2 admin, $3 status or NULL, $4 assignee or NULL.
  const std::string filter =
      " FROM task_view v WHERE ($2::boolean OR v.owner_id = $1 OR EXISTS (SELECT 1 FROM task_view_assignees a "
      "WHERE a.task_id = v.id AND a.assignee_id = $1)) AND ($3::text IS NULL OR v.status = $3) "
      "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM task_view_assignees b WHERE b.task_id = v.id "
      "AND b.assignee_id = $4))";
  conn.prepare("list_count", "SELECT COUNT(*)" + filter);
  conn.prepare("list_page", "SELECT v.task" + filter + " ORDER BY v.created_at_ms DESC, v.id DESC LIMIT $5 OFFSET $6");
  // Keyset paging: $5 whether there is a position, $6/$7 the position. The
  // row comparison walks task_view_newest from there; $8 is one beyond the
  // page, which tells whether another page follows.
  conn.prepare("list_keyset", "SELECT v.task" + filter +
                                  " AND (NOT $5::boolean OR (v.created_at_ms, v.id) < ($6::bigint, $7::text))"
                                  " ORDER BY v.created_at_ms DESC, v.id DESC LIMIT $8");
  pg_projection::prepare(conn);
}

caf::expected<std::vector<ports::projection_outcome>> pg_read_model_store::project(
    const std::string& consumer, const std::vector<messages::EventEnvelope>& events) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::work tx{conn};
      auto outcomes = pg_projection::project(tx, consumer, events, clock::unix_now_ms());
      tx.commit();
      return outcomes;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<messages::TaskPage> pg_read_model_store::list_tasks(const messages::ListTasksQuery& query) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<messages::TaskPage> {
      pqxx::read_transaction tx{conn};
      auto status = status_filter(query);
      auto assignee = assignee_filter(query);
      messages::TaskPage page;
      page.set_total(tx.exec_prepared("list_count", query.viewer_id(), query.viewer_is_admin(), status, assignee)[0][0]
                         .as<std::int64_t>());
      auto rows = tx.exec_prepared("list_page", query.viewer_id(), query.viewer_is_admin(), status, assignee,
                                   std::int64_t{query.limit()}, std::int64_t{query.offset()});
      for (const auto& row : rows)
        if (auto decoded = from_json(row[0].c_str(), *page.add_items()); !decoded)
          return decoded.error();
      tx.commit();
      return page;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<messages::TaskPage> pg_read_model_store::list_tasks_keyset(const messages::ListTasksQuery& query) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<messages::TaskPage> {
      pqxx::read_transaction tx{conn};
      auto status = status_filter(query);
      auto assignee = assignee_filter(query);
      const auto& after = query.keyset().after();
      auto rows = tx.exec_prepared("list_keyset", query.viewer_id(), query.viewer_is_admin(), status, assignee,
                                   query.keyset().has_after(), after.created_at_ms(), after.id(),
                                   std::int64_t{query.limit()} + 1);
      messages::TaskPage page;
      for (const auto& row : rows) {
        if (page.items_size() == query.limit()) {
          page.set_has_more(true);
          break;
        }
        if (auto decoded = from_json(row[0].c_str(), *page.add_items()); !decoded)
          return decoded.error();
      }
      tx.commit();
      return page;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<ports::view_mark> pg_read_model_store::view_mark_of(const std::string& task_id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<ports::view_mark> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_params(
          "SELECT version, false FROM task_view WHERE id = $1 "
          "UNION ALL SELECT version, true FROM task_view_tombstones WHERE id = $1 ORDER BY 1 DESC LIMIT 1",
          task_id);
      if (rows.empty())
        return ports::view_mark{};
      return ports::view_mark{rows[0][0].as<std::int64_t>(), rows[0][1].as<bool>()};
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_read_model_store::ping() {
  try {
    pool_->run([](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      tx.exec("SELECT 1");
    });
    return caf::unit;
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
