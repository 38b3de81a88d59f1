// GET /api/v1/events as a response stream: the caller's notifications as
// Server-Sent Events (`id:` the notification id, `event:` its type, `data:`
// its JSON). A resumed stream first sends what the feed holds after the
// client's Last-Event-ID, then what arrives live; a notification is sent
// once even when the feed and the live path both bring it, and live ones
// from before the resume point (a lagging bus consumer on this node) are not
// sent again. The stream ends when the hub ends it (credential lapsed, client
// too slow) or after a full backlog page, and the client resumes from there.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "http-edge/server/response_stream.hpp"
#include "http-edge/server/stream_wakeup.hpp"
#include "runtime/notifications/live_notifications.hpp"

namespace taskflow::edge {

class notification_stream final : public response_stream {
public:
  notification_stream() = default;

  // The live subscription, made before the backlog is read so nothing falls between the two.
  void attach(std::shared_ptr<runtime::live_stream> live);

  // What the feed held after the resume point; `last_page` when the stream
  // should end after it because more may follow.
  void resume_from(ports::feed_position anchor, std::vector<messages::Notification> missed, bool last_page);

  // Called by the hub when the live subscription has something.
  void signal();

  std::optional<std::string> next() override;
  void wait(std::function<void()> ready) override;
  std::string heartbeat() const override;
  void close() override;

private:
  bool already_sent(const std::string& id);
  std::string frame(const messages::Notification& n);

  stream_wakeup wakeup_;
  std::mutex mutex_;
  bool closed_ = false;
  bool greeted_ = false;
  bool end_after_backlog_ = false;
  std::shared_ptr<runtime::live_stream> live_;
  std::optional<ports::feed_position> anchor_;
  std::vector<messages::Notification> backlog_;
  // Ids sent lately, to send each once; bounded, oldest forgotten first.
  std::unordered_set<std::string> sent_;
  std::deque<std::string> sent_order_;
};

}  // namespace taskflow::edge
