// event_history on PostgreSQL: the events table, newest first per aggregate.
#pragma once

#include <memory>

#include "actors/ports/event_history.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_event_history final : public ports::event_history {
public:
  explicit pg_event_history(std::shared_ptr<pg_pool> pool);

  caf::expected<std::vector<messages::EventEnvelope>> recent_events(const std::string& aggregate_type,
                                                                    const std::string& aggregate_id,
                                                                    std::size_t limit) override;

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
