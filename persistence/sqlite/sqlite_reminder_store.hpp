// reminder_store on SQLite: the tasks table's remind_at_ms, by its partial index.
#pragma once

#include <memory>

#include "actors/ports/services/reminder_store.hpp"

namespace taskflow::persistence {

class sqlite_pool;

class sqlite_reminder_store final : public ports::reminder_store {
public:
  explicit sqlite_reminder_store(std::shared_ptr<sqlite_pool> pool);

  caf::expected<std::vector<ports::reminder_timer>> due_reminders(std::int64_t until_ms,
                                                                  const std::optional<ports::reminder_timer>& after,
                                                                  std::size_t limit) override;

private:
  std::shared_ptr<sqlite_pool> pool_;
};

}  // namespace taskflow::persistence
