#include "runtime/services/notification_feed_writer.hpp"

#include "actors/notification/notification_rules.hpp"

namespace taskflow::runtime {

batch_work notification_feed_writer(notification_feed_deps deps) {
  auto* failed = &deps.stats->events_consumed.Add({{"consumer", notification_consumer}, {"outcome", "failed"}});
  auto* consumed = &deps.stats->events_consumed.Add({{"consumer", notification_consumer}, {"outcome", "applied"}});
  return [deps, failed, consumed](const std::vector<messages::EventEnvelope>& events) {
    std::vector<ports::event_notifications> batch;
    std::vector<messages::Notification> all;
    batch.reserve(events.size());
    for (const auto& event : events) {
      auto& entry = batch.emplace_back(ports::event_notifications{event.event_id(), {}});
      entry.notifications = notification::notifications_for_event(event);
      all.insert(all.end(), entry.notifications.begin(), entry.notifications.end());
    }
    auto added = deps.feed->record(notification_consumer, batch, deps.now_ms());
    if (!added) {
      failed->Increment(static_cast<double>(events.size()));
      deps.log->warn("notifying_failed", {{"events", events.size()}, {"error", ports::error_detail(added.error())}});
      return false;
    }
    for (const auto& n : *added)
      deps.stats->notifications_created.Add({{"type", n.type()}}).Increment();
    for (const auto& follow : deps.followers)
      if (!follow(all))
        return false;
    consumed->Increment(static_cast<double>(events.size()));
    return true;
  };
}

}  // namespace taskflow::runtime
