#include "http-edge/admin/runtime_event_stream.hpp"

#include "http-edge/admin/admin_views.hpp"

namespace taskflow::edge {

runtime_event_stream::runtime_event_stream(runtime::runtime_events& events) {
  // The subscription calls back under the hub's lock; signal() only takes
  // the wakeup's lock and posts, and close() drops the subscription outside it.
  subscription_ = events.subscribe([this] { wakeup_.signal(); });
}

std::optional<std::string> runtime_event_stream::next() {
  std::shared_ptr<runtime::runtime_event_subscription> sub;
  std::string out;
  {
    std::lock_guard lock{mutex_};
    if (closed_)
      return std::nullopt;
    sub = subscription_;
    if (!greeted_) {
      greeted_ = true;
      // How long a browser waits before reconnecting after a drop.
      out = "retry: 2000\n\n";
    }
  }
  auto batch = sub->take();
  if (batch.dropped > 0)
    out += sse_dropped_frame(batch.dropped);
  for (const auto& event : batch.events)
    out += sse_frame(event);
  return out;
}

void runtime_event_stream::wait(std::function<void()> ready) {
  wakeup_.wait(std::move(ready));
}

std::string runtime_event_stream::heartbeat() const {
  return ": keep-alive\n\n";
}

void runtime_event_stream::close() {
  std::shared_ptr<runtime::runtime_event_subscription> sub;
  {
    std::lock_guard lock{mutex_};
    closed_ = true;
    sub = std::move(subscription_);
  }
  wakeup_.close();
  // Unsubscribing waits for a publish in progress, which may be calling
  // signal(); it must not wait while we hold our lock.
  sub.reset();
}

}  // namespace taskflow::edge
