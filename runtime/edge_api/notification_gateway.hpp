// What the edge asks of the notification feed: one person's page, marking one
// read, and what a resumed live stream missed. The store blocks, so every
// call runs on the store pool and answers through its handler, from a pool
// thread; a full pool answers UNAVAILABLE at once.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/notification_store.hpp"
#include "runtime/edge_api/outcome.hpp"

namespace taskflow::runtime {

// Where a resumed stream was (the notification it saw last) and what it
// missed since, oldest first.
struct stream_resumption {
  ports::feed_position anchor;
  std::vector<messages::Notification> missed;
};

class notification_gateway {
public:
  notification_gateway(std::shared_ptr<ports::notification_store> feed, ports::blocking_executor& pool);

  void feed(ports::feed_query query, outcome_handler<ports::feed_page> done);

  // NOT_FOUND when the recipient has no notification with this id.
  void mark_read(std::string recipient_id, std::string id, outcome_handler<bool> done);

  // Where a stream resumed after `after_id` was and what it missed, at most
  // `limit`. Where that id sits comes from `known` when the caller knows,
  // else from the feed; nullopt when neither knows it.
  void resume(std::string recipient_id, std::string after_id, std::optional<ports::feed_position> known,
              std::size_t limit, outcome_handler<std::optional<stream_resumption>> done);

private:
  std::shared_ptr<ports::notification_store> feed_;
  ports::blocking_executor& pool_;
};

}  // namespace taskflow::runtime
