// GET /admin/api/stream as a response stream: a subscription to the node's
// runtime events, each written as a Server-Sent Event. Events a slow client
// missed (the subscription's queue is bounded) are announced by a "dropped"
// event so the console knows to reload what it shows.
#pragma once

#include <memory>
#include <mutex>

#include "http-edge/server/response_stream.hpp"
#include "http-edge/server/stream_wakeup.hpp"
#include "runtime/admin/runtime_events.hpp"

namespace taskflow::edge {

class runtime_event_stream final : public response_stream {
public:
  explicit runtime_event_stream(runtime::runtime_events& events);

  std::optional<std::string> next() override;
  void wait(std::function<void()> ready) override;
  std::string heartbeat() const override;
  void close() override;

private:
  stream_wakeup wakeup_;
  std::mutex mutex_;
  bool closed_ = false;
  bool greeted_ = false;
  std::shared_ptr<runtime::runtime_event_subscription> subscription_;
};

}  // namespace taskflow::edge
