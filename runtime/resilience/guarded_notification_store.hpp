// The notification feed behind the store's dependency guard: with PostgreSQL
// down a feed read fails at once (503 with Retry-After) and the consumer's
// batch is redelivered later. Every call is safe to repeat: recording goes
// through the inbox and ids derive from the event, and marking read keeps
// the first time.
#pragma once

#include <memory>

#include "actors/ports/services/notification_store.hpp"
#include "runtime/resilience/dependency_guard.hpp"

namespace taskflow::runtime {

class guarded_notification_store final : public ports::notification_store {
public:
  guarded_notification_store(std::shared_ptr<ports::notification_store> feed, std::shared_ptr<dependency_guard> guard);

  caf::expected<std::vector<messages::Notification>> record(const std::string& consumer,
                                                            const std::vector<ports::event_notifications>& events,
                                                            std::int64_t now_ms) override;
  caf::expected<ports::feed_page> feed(const ports::feed_query& query) override;
  caf::expected<std::optional<ports::feed_position>> position_of(const std::string& recipient_id,
                                                                 const std::string& id) override;
  caf::expected<std::vector<messages::Notification>> newer_than(const std::string& recipient_id,
                                                                const ports::feed_position& after,
                                                                std::size_t limit) override;
  caf::expected<bool> mark_read(const std::string& recipient_id, const std::string& id, std::int64_t now_ms) override;

private:
  std::shared_ptr<ports::notification_store> feed_;
  std::shared_ptr<dependency_guard> guard_;
};

}  // namespace taskflow::runtime
