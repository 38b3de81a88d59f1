// The node's live feed of what happens in the runtime, for the admin
// stream: activations and passivations (from the shard host), membership and
// shard changes (from the cluster), domain events (from the bus). Publishing
// never blocks on a subscriber: each has a bounded queue that drops its
// oldest events when full and counts what it dropped, so a slow browser costs
// a fixed amount of memory and never slows the runtime.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace taskflow::runtime {

struct runtime_event {
  std::uint64_t seq = 0;  // assigned by publish, increasing per hub
  std::string kind;       // "activation", "passivation", "membership", "shard", "domain_event"
  std::string node;       // the node it happened on
  std::int64_t at_ms = 0;
  std::string data_json;  // a JSON object
};

class runtime_events;

class runtime_event_subscription {
public:
  ~runtime_event_subscription();
  runtime_event_subscription(const runtime_event_subscription&) = delete;
  runtime_event_subscription& operator=(const runtime_event_subscription&) = delete;

  struct batch {
    std::vector<runtime_event> events;  // oldest first
    std::uint64_t dropped = 0;          // lost to the bound since the last take
  };
  // Everything queued, emptying the queue; re-arms the wake callback.
  batch take();

private:
  friend class runtime_events;
  struct hub;
  runtime_event_subscription(std::weak_ptr<hub> owner, std::size_t capacity, std::function<void()> wake);
  void offer(const runtime_event& event);

  std::weak_ptr<hub> hub_;
  std::size_t capacity_;
  std::function<void()> wake_;
  std::mutex mutex_;
  std::deque<runtime_event> queue_;
  std::uint64_t dropped_ = 0;
  bool woken_ = false;
};

class runtime_events {
public:
  explicit runtime_events(std::size_t queue_capacity = 1024);

  // Thread-safe. Fills in seq.
  void publish(runtime_event event);

  // `wake` is called once the queue has something after a take (and once at
  // the first event). It runs on the publisher's thread under the hub's lock,
  // so it must only hand off (post to an executor), never call back in.
  // Dropping the subscription unsubscribes.
  std::shared_ptr<runtime_event_subscription> subscribe(std::function<void()> wake);

  std::size_t subscribers() const;

private:
  std::shared_ptr<runtime_event_subscription::hub> hub_;
  std::size_t capacity_;
};

}  // namespace taskflow::runtime
