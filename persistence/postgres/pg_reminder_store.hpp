// reminder_store on PostgreSQL: the tasks table's remind_at_ms, by its
// partial index. Every node's wheel scans it and keeps the tasks of the
// shards it owns.
#pragma once

#include <memory>

#include <pqxx/connection>

#include "actors/ports/services/reminder_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_reminder_store final : public ports::reminder_store {
public:
  explicit pg_reminder_store(std::shared_ptr<pg_pool> pool);

  caf::expected<std::vector<ports::reminder_timer>> due_reminders(std::int64_t until_ms,
                                                                  const std::optional<ports::reminder_timer>& after,
                                                                  std::size_t limit) override;

  // Names the prepared statement that every connection of the pool needs.
  static void prepare(pqxx::connection& conn);

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
