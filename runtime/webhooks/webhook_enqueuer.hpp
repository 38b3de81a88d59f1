// What the notification consumer does after writing the feed, for webhooks:
// one delivery per endpoint that wants each notification, then a nudge so
// the dispatcher need not wait for its poll. Enqueueing is idempotent
// (deterministic delivery ids), which is what a follower of the feed writer
// must be: a batch it fails is redelivered whole.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "actors/ports/services/webhook_store.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/services/notification_feed_writer.hpp"

namespace taskflow::runtime {

after_notifying enqueue_webhook_deliveries(std::shared_ptr<ports::webhook_store> store,
                                           std::function<std::int64_t()> now_ms, std::function<void()> nudge_dispatcher,
                                           const logger* log);

}  // namespace taskflow::runtime
