#include "runtime/webhooks/webhook_enqueuer.hpp"

namespace taskflow::runtime {

after_notifying enqueue_webhook_deliveries(std::shared_ptr<ports::webhook_store> store,
                                           std::function<std::int64_t()> now_ms, std::function<void()> nudge_dispatcher,
                                           const logger* log) {
  return [store = std::move(store), now_ms = std::move(now_ms), nudge = std::move(nudge_dispatcher),
          log](const std::vector<messages::Notification>& notifications) {
    if (notifications.empty())
      return true;
    auto added = store->enqueue_deliveries(notifications, now_ms());
    if (!added) {
      log->warn("webhook_enqueue_failed", {{"error", ports::error_detail(added.error())}});
      return false;
    }
    if (*added > 0)
      nudge();
    return true;
  };
}

}  // namespace taskflow::runtime
