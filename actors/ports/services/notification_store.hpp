// Port: the notification feed (API.md, Notifications). The notification
// consumer records what the rules decided, the feed routes page through one
// person's notifications and mark them read, and a resumed live stream reads
// what it missed. Only runtime services use it; actors never do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <caf/expected.hpp>

#include "messages/notification/notification.pb.h"

namespace taskflow::ports {

// A place in a feed's newest-first order; ids break ties, so a page boundary is exact.
struct feed_position {
  std::int64_t created_at_ms = 0;
  std::string id;
  friend bool operator<(const feed_position& a, const feed_position& b) {
    return std::tie(a.created_at_ms, a.id) < std::tie(b.created_at_ms, b.id);
  }
};

inline feed_position feed_position_of(const messages::Notification& n) {
  return {n.created_at_ms(), n.id()};
}

// Oldest first, the order a stream sends in.
inline bool sent_before(const messages::Notification& a, const messages::Notification& b) {
  return feed_position_of(a) < feed_position_of(b);
}

struct feed_query {
  std::string recipient_id;
  bool unread_only = false;
  std::size_t limit = 50;
  std::optional<feed_position> after;  // the last item of the previous page
};

struct feed_entry {
  messages::Notification notification;
  std::optional<std::int64_t> read_at_ms;
};

struct feed_page {
  std::vector<feed_entry> items;
  bool more = false;  // a page follows the last item
};

// What one bus event calls for; an event that notifies nobody still goes in
// the inbox.
struct event_notifications {
  std::string event_id;
  std::vector<messages::Notification> notifications;
};

class notification_store {
public:
  virtual ~notification_store() = default;

  // Records the events in the consumer's inbox and adds the notifications of
  // those it did not hold yet, in one transaction, so a redelivered event
  // adds nothing. Ids derive from the event as well, so even two consumers
  // racing on one event leave one row. Answers the notifications added.
  virtual caf::expected<std::vector<messages::Notification>> record(const std::string& consumer,
                                                                    const std::vector<event_notifications>& events,
                                                                    std::int64_t now_ms) = 0;

  virtual caf::expected<feed_page> feed(const feed_query& query) = 0;

  // Where the recipient's notification with this id sits in feed order;
  // nullopt when the recipient has none with it (yet: a live stream may show
  // one a moment before the feed holds it).
  virtual caf::expected<std::optional<feed_position>> position_of(const std::string& recipient_id,
                                                                  const std::string& id) = 0;

  // The recipient's notifications after `after` in feed order, oldest first,
  // at most `limit`: what a resumed live stream missed.
  virtual caf::expected<std::vector<messages::Notification>> newer_than(const std::string& recipient_id,
                                                                        const feed_position& after,
                                                                        std::size_t limit) = 0;

  // False when the recipient has no notification with this id. Marking one
  // already read keeps its first read time.
  virtual caf::expected<bool> mark_read(const std::string& recipient_id, const std::string& id,
                                        std::int64_t now_ms) = 0;
};

}  // namespace taskflow::ports
