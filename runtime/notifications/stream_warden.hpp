// Ends live notification streams whose credential has lapsed: every second it
// asks the hub to end the streams whose access token expired or whose
// session was revoked (signed out on any node: the revocation set hears of
// it from the bus), and keeps the stream gauge current. Supervised; it holds
// nothing a restart would lose.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "runtime/identity/revocation_set.hpp"
#include "runtime/notifications/live_notifications.hpp"
#include "runtime/observability/metrics.hpp"

namespace taskflow::runtime {

struct stream_warden_deps {
  // Both outlive the actor system (the node owns them).
  live_notifications* hub = nullptr;
  std::shared_ptr<const revocation_set> revoked;
  std::function<std::int64_t()> now_ms;
  metrics* stats = nullptr;
  std::chrono::milliseconds interval{1000};
};

caf::behavior stream_warden(caf::event_based_actor* self, stream_warden_deps deps);

}  // namespace taskflow::runtime
