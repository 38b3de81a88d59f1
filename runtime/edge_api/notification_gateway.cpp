#include "runtime/edge_api/notification_gateway.hpp"

#include "messages/common/errors.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/edge_api/post_or_refuse.hpp"

namespace taskflow::runtime {
namespace {

messages::Error feed_unavailable(const caf::error& cause) {
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                              "The notification store is unavailable: " + ports::error_detail(cause));
}

}  // namespace

notification_gateway::notification_gateway(std::shared_ptr<ports::notification_store> feed,
                                           ports::blocking_executor& pool)
    : feed_(std::move(feed)), pool_(pool) {}

void notification_gateway::feed(ports::feed_query query, outcome_handler<ports::feed_page> done) {
  post_or_refuse(pool_, done, [feed = feed_, query = std::move(query), done] {
    auto page = feed->feed(query);
    if (!page)
      return done(feed_unavailable(page.error()));
    done(std::move(*page));
  });
}

void notification_gateway::mark_read(std::string recipient_id, std::string id, outcome_handler<bool> done) {
  post_or_refuse(pool_, done, [feed = feed_, recipient_id = std::move(recipient_id), id = std::move(id), done] {
    auto marked = feed->mark_read(recipient_id, id, clock::unix_now_ms());
    if (!marked)
      return done(feed_unavailable(marked.error()));
    if (!*marked)
      return done(messages::make_error(messages::ERROR_CODE_NOT_FOUND, "You have no notification with this id."));
    done(true);
  });
}

void notification_gateway::resume(std::string recipient_id, std::string after_id,
                                  std::optional<ports::feed_position> known, std::size_t limit,
                                  outcome_handler<std::optional<stream_resumption>> done) {
  post_or_refuse(pool_, done,
                 [feed = feed_, recipient_id = std::move(recipient_id), after_id = std::move(after_id),
                  known = std::move(known), limit, done] {
                   auto anchor = known;
                   if (!anchor) {
                     auto stored = feed->position_of(recipient_id, after_id);
                     if (!stored)
                       return done(feed_unavailable(stored.error()));
                     if (!*stored)
                       return done(std::optional<stream_resumption>{});
                     anchor = std::move(*stored);
                   }
                   auto missed = feed->newer_than(recipient_id, *anchor, limit);
                   if (!missed)
                     return done(feed_unavailable(missed.error()));
                   done(std::optional{stream_resumption{std::move(*anchor), std::move(*missed)}});
                 });
}

}  // namespace taskflow::runtime
