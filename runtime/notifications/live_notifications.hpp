// The edge's live notification streams (GET /api/v1/events), by recipient.
// Every node's live listener publishes what the rules make of each bus event,
// so a stream on any edge sees its user's notifications within moments,
// whichever node wrote the feed. Publishing never blocks on a stream: each
// has a bounded queue, and a stream too slow to keep up is ended rather than
// silently skipped, so its client resumes with Last-Event-ID and misses
// nothing. The hub also keeps the notifications it saw lately, so a stream
// resumed after one the feed has not stored yet still knows where that one
// sits, and gets those that came after it which this node saw before the
// stream opened but the feed does not hold yet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "actors/ports/services/notification_store.hpp"
#include "messages/notification/notification.pb.h"

namespace taskflow::runtime {

// Who a stream is for and how long its credential is good.
struct stream_owner {
  std::string recipient_id;
  std::string session_id;      // empty for API keys and client tokens
  std::int64_t expires_at_ms;  // 0: never
};

class live_notifications;

class live_stream {
public:
  ~live_stream();
  live_stream(const live_stream&) = delete;
  live_stream& operator=(const live_stream&) = delete;

  struct batch {
    std::vector<messages::Notification> items;  // oldest first
    bool ended = false;                         // nothing follows: close the stream
  };
  // Everything queued, emptying the queue; re-arms the wake callback.
  batch take();

  const stream_owner& owner() const { return owner_; }

private:
  friend class live_notifications;
  struct hub;
  live_stream(std::weak_ptr<hub> owner_hub, stream_owner owner, std::size_t capacity, std::function<void()> wake);
  void offer(const messages::Notification& n);
  void end();
  void notify();

  std::weak_ptr<hub> hub_;
  stream_owner owner_;
  std::size_t capacity_;
  std::function<void()> wake_;
  std::mutex mutex_;
  std::deque<messages::Notification> queue_;
  bool ended_ = false;
  bool woken_ = false;
};

struct live_limits {
  std::size_t streams = 1000;
  std::size_t streams_per_user = 5;
  std::size_t queue = 256;
  std::size_t remembered = 4096;  // recent notifications kept for resuming streams
};

enum class stream_refusal { node_full, user_full };

class live_notifications {
public:
  explicit live_notifications(live_limits limits);

  // Thread-safe. Each notification goes to its recipient's streams here.
  void publish(const std::vector<messages::Notification>& notifications);

  // `wake` is called once the stream has something (or has ended) after a
  // take. It runs on the publisher's thread under the hub's lock, so it must
  // only hand off, never call back in. Dropping the stream unsubscribes.
  std::variant<std::shared_ptr<live_stream>, stream_refusal> subscribe(stream_owner owner, std::function<void()> wake);

  // Ends the streams whose credential has expired or whose session `revoked` says has ended.
  void end_lapsed(std::int64_t now_ms, const std::function<bool(const std::string& session_id)>& revoked);

  // Where a recently published notification sits in feed order, if this hub saw it.
  std::optional<ports::feed_position> position_of(const std::string& id) const;

  // The recipient's recent notifications after `anchor`, in feed order.
  std::vector<messages::Notification> recent_after(const std::string& recipient_id,
                                                   const ports::feed_position& anchor) const;

  std::size_t streams() const;

private:
  std::shared_ptr<live_stream::hub> hub_;
  live_limits limits_;
};

}  // namespace taskflow::runtime
