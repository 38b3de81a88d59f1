// Port: the notification feed (API.md, Notifications). The notification
// consumer adds what the rules decided, the feed routes page through one
// person's notifications and mark them read. Only runtime services use it;
// actors never do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/notification/notification.pb.h"

namespace taskflow::ports {

// A place in a feed's newest-first order; ids break ties, so a page boundary is exact.
struct feed_position {
  std::int64_t created_at_ms = 0;
  std::string id;
};

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

class notification_store {
public:
  virtual ~notification_store() = default;

  // Adds the notifications whose ids are new and keeps the rest as they
  // are: ids derive from the event, so a redelivered event adds nothing.
  // Answers how many were new.
  virtual caf::expected<std::size_t> add_notifications(const std::vector<messages::Notification>& notifications) = 0;

  virtual caf::expected<feed_page> feed(const feed_query& query) = 0;

  // False when the recipient has no notification with this id. Marking one
  // already read keeps its first read time.
  virtual caf::expected<bool> mark_read(const std::string& recipient_id, const std::string& id,
                                        std::int64_t now_ms) = 0;
};

}  // namespace taskflow::ports
