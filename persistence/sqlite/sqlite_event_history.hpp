// event_history on SQLite: the events table, newest first per aggregate.
#pragma once

#include <memory>

#include "actors/ports/event_history.hpp"

namespace taskflow::persistence {

class sqlite_pool;

class sqlite_event_history final : public ports::event_history {
public:
  explicit sqlite_event_history(std::shared_ptr<sqlite_pool> pool);

  caf::expected<std::vector<messages::EventEnvelope>> recent_events(const std::string& aggregate_type,
                                                                    const std::string& aggregate_id,
                                                                    std::size_t limit) override;

private:
  std::shared_ptr<sqlite_pool> pool_;
};

}  // namespace taskflow::persistence
