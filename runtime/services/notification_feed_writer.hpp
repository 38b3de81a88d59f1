// The notification consumer's work (ARCHITECTURE.md, Notifications and
// timers): for each bus event, what the rules in actors/notification/ say to
// tell whom, recorded in the feed together with the event's inbox row, so a
// redelivered event notifies once. Followers (webhook deliveries) get every
// notification of the batch, new or not, and must be idempotent: a batch a
// follower fails is redelivered and then finds nothing new in the inbox.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "actors/ports/services/notification_store.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/services/batched_consumer.hpp"

namespace taskflow::runtime {

inline constexpr auto notification_consumer = "notifier";

// Runs on the pool after the feed write; false has the batch redelivered.
using after_notifying = std::function<bool(const std::vector<messages::Notification>& notifications)>;

struct notification_feed_deps {
  std::shared_ptr<ports::notification_store> feed;
  std::function<std::int64_t()> now_ms;
  const logger* log = nullptr;
  metrics* stats = nullptr;
  std::vector<after_notifying> followers;
};

batch_work notification_feed_writer(notification_feed_deps deps);

}  // namespace taskflow::runtime
