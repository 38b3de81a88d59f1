#include "persistence/postgres/pg_task_store.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "persistence/codec/proto_json.hpp"
#include "persistence/codec/reminder_columns.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_group_commit.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {

pg_task_store::pg_task_store(std::shared_ptr<pg_pool> pool, std::unique_ptr<pg_group_commit> group)
    : pool_(std::move(pool)), group_(std::move(group)) {}

pg_task_store::~pg_task_store() = default;

void pg_task_store::prepare(pqxx::connection& conn) {
  conn.prepare("task_load", "SELECT state, deleted, reminded_kind, reminded_due_at_ms FROM tasks WHERE id = $1");
}

caf::expected<std::optional<task::task_state>> pg_task_store::load_task(const std::string& id) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::optional<task::task_state>> {
      pqxx::nontransaction tx{conn};
      auto rows = tx.exec_prepared("task_load", id);
      if (rows.empty())
        return std::optional<task::task_state>{};
      task::task_state state;
      if (auto decoded = from_json(rows[0][0].c_str(), state.snapshot); !decoded)
        return decoded.error();
      state.deleted = rows[0][1].as<bool>();
      state.reminded = reminder_mark_of(rows[0][2].as<std::int64_t>(), rows[0][3].as<std::int64_t>(0));
      return std::optional<task::task_state>{std::move(state)};
    });
  } catch (...) {
    return pg_current_error();
  }
}

void pg_task_store::commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) {
  group_->submit(std::move(commit), std::move(done));
}

}  // namespace taskflow::persistence
