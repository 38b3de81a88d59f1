// notification_store on PostgreSQL: the notifications table, shared by every
// node's consumer (an id inserted twice, by two nodes, stays one row).
#pragma once

#include <memory>

#include "actors/ports/services/notification_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_notification_store final : public ports::notification_store {
public:
  explicit pg_notification_store(std::shared_ptr<pg_pool> pool);

  caf::expected<std::vector<messages::Notification>> record(const std::string& consumer,
                                                            const std::vector<ports::event_notifications>& events,
                                                            std::int64_t now_ms) override;
  caf::expected<std::optional<ports::feed_position>> position_of(const std::string& recipient_id,
                                                                 const std::string& id) override;
  caf::expected<std::vector<messages::Notification>> newer_than(const std::string& recipient_id,
                                                                const ports::feed_position& after,
                                                                std::size_t limit) override;
  caf::expected<ports::feed_page> feed(const ports::feed_query& query) override;
  caf::expected<bool> mark_read(const std::string& recipient_id, const std::string& id, std::int64_t now_ms) override;

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
