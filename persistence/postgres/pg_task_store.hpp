// task_store on PostgreSQL: reads on the shared pool; commits queued to the
// group committers (pg_group_commit.hpp), which write whatever commits are
// waiting at that moment as one transaction and one WAL flush.
#pragma once

#include <memory>

#include <pqxx/connection>

#include "actors/ports/task_store.hpp"

namespace taskflow::persistence {

class pg_pool;
class pg_group_commit;

class pg_task_store final : public ports::task_store {
public:
  pg_task_store(std::shared_ptr<pg_pool> pool, std::unique_ptr<pg_group_commit> group);
  ~pg_task_store() override;

  // Names the prepared statements that load_task() runs.
  static void prepare(pqxx::connection& conn);

  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override;
  void commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) override;

private:
  std::shared_ptr<pg_pool> pool_;
  std::unique_ptr<pg_group_commit> group_;
};

}  // namespace taskflow::persistence
