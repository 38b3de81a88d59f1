#include "runtime/resilience/guarded_notification_store.hpp"

namespace taskflow::runtime {

guarded_notification_store::guarded_notification_store(std::shared_ptr<ports::notification_store> feed,
                                                       std::shared_ptr<dependency_guard> guard)
    : feed_(std::move(feed)), guard_(std::move(guard)) {}

caf::expected<std::vector<messages::Notification>> guarded_notification_store::record(
    const std::string& consumer, const std::vector<ports::event_notifications>& events, std::int64_t now_ms) {
  return guard_->call(true, [&] { return feed_->record(consumer, events, now_ms); });
}

caf::expected<ports::feed_page> guarded_notification_store::feed(const ports::feed_query& query) {
  return guard_->call(true, [&] { return feed_->feed(query); });
}

caf::expected<std::optional<ports::feed_position>> guarded_notification_store::position_of(
    const std::string& recipient_id, const std::string& id) {
  return guard_->call(true, [&] { return feed_->position_of(recipient_id, id); });
}

caf::expected<std::vector<messages::Notification>> guarded_notification_store::newer_than(
    const std::string& recipient_id, const ports::feed_position& after, std::size_t limit) {
  return guard_->call(true, [&] { return feed_->newer_than(recipient_id, after, limit); });
}

caf::expected<bool> guarded_notification_store::mark_read(const std::string& recipient_id, const std::string& id,
                                                          std::int64_t now_ms) {
  return guard_->call(true, [&] { return feed_->mark_read(recipient_id, id, now_ms); });
}

}  // namespace taskflow::runtime
