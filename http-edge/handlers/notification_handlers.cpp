#include "http-edge/handlers/notification_handlers.hpp"

#include <algorithm>

#include "http-edge/handlers/json_request.hpp"
#include "http-edge/handlers/json_response.hpp"
#include "http-edge/handlers/notification_stream.hpp"
#include "http-edge/pagination/page_cursor.hpp"
#include "http-edge/pagination/page_limit.hpp"
#include "http-edge/problem/problem.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/notification/notification_json.hpp"

namespace taskflow::edge {
namespace {

using context_ptr = std::shared_ptr<request_context>;

// A resumed stream sends at most this many missed notifications, then ends
// so the client resumes again from the last; no single answer grows without bound.
constexpr std::size_t max_backlog = 1000;
// How soon a client refused for too many streams should try again.
constexpr int stream_retry_after_s = 5;

std::string feed_filter(bool unread_only) {
  return unread_only ? "notifications?unread=true" : "notifications";
}

void list_notifications(runtime::notification_gateway& feed, context_ptr ctx, responder respond) {
  messages::field_errors errors;
  ports::feed_query query;
  query.recipient_id = ctx->principal.id();
  if (const auto* unread = ctx->query_param("unread")) {
    if (*unread == "true" || *unread == "false")
      query.unread_only = *unread == "true";
    else
      messages::add_field_error(errors, "unread", "must be true or false");
  }
  query.limit = static_cast<std::size_t>(page_limit(ctx->query_param("limit"), errors));
  if (const auto* cursor = ctx->query_param("cursor"); cursor && errors.empty()) {
    if (auto after = decode_page_cursor(*cursor, feed_filter(query.unread_only)))
      query.after = ports::feed_position{after->created_at_ms(), after->id()};
    else
      messages::add_field_error(
          errors, "cursor", "is not a next_cursor of this feed; start again without a cursor, with the same unread");
  }
  if (!errors.empty())
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  auto filter = feed_filter(query.unread_only);
  feed.feed(std::move(query), [ctx, respond, filter](runtime::outcome<ports::feed_page> page) {
    if (const auto* e = runtime::failed(page))
      return respond(rendered(from_error(*e), *ctx));
    const auto& found = std::get<ports::feed_page>(page);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& entry : found.items)
      items.push_back(messages::notification_to_json(entry.notification, entry.read_at_ms));
    nlohmann::json next = nullptr;
    if (found.more && !found.items.empty()) {
      const auto& last = found.items.back().notification;
      messages::TaskListPosition after;
      after.set_created_at_ms(last.created_at_ms());
      after.set_id(last.id());
      next = encode_page_cursor(after, filter);
    }
    respond(json_response(http::status::ok, {{"items", std::move(items)}, {"next_cursor", std::move(next)}}));
  });
}

void mark_read(runtime::notification_gateway& feed, context_ptr ctx, responder respond) {
  auto id = ctx->path_params["id"];
  if (!ids::is_uuid(id))
    return respond(rendered(not_found("You have no notification with this id."), *ctx));
  feed.mark_read(ctx->principal.id(), std::move(id), [ctx, respond](runtime::outcome<bool> marked) {
    if (const auto* e = runtime::failed(marked))
      return respond(rendered(from_error(*e), *ctx));
    respond(http_response{http::status::no_content, 11});
  });
}

// The feed's and the hub's notifications after one point, in feed order, each once.
std::vector<messages::Notification> merged(std::vector<messages::Notification> stored,
                                           const std::vector<messages::Notification>& recent) {
  stored.insert(stored.end(), recent.begin(), recent.end());
  std::sort(stored.begin(), stored.end(), ports::sent_before);
  stored.erase(std::unique(stored.begin(), stored.end(), [](const auto& a, const auto& b) { return a.id() == b.id(); }),
               stored.end());
  return stored;
}

http_response stream_head() {
  http_response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/event-stream; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  // Tells nginx-style proxies not to buffer the stream.
  res.set("X-Accel-Buffering", "no");
  return res;
}

void open_stream(runtime::notification_gateway& feed, runtime::live_notifications& live, runtime::metrics& stats,
                 context_ptr ctx, responder respond) {
  std::string last_event_id{ctx->request["Last-Event-ID"]};
  if (!last_event_id.empty() && !ids::is_uuid(last_event_id)) {
    messages::field_errors errors;
    messages::add_field_error(errors, "Last-Event-ID", "must be the id of a notification a stream sent");
    return respond(rendered(validation_failed(std::move(errors)), *ctx));
  }
  runtime::stream_owner owner{ctx->principal.id(), ctx->identity ? ctx->identity->session_id : std::string{},
                              ctx->identity ? ctx->identity->expires_at_ms : 0};
  auto stream = std::make_shared<notification_stream>();
  auto subscribed = live.subscribe(std::move(owner), [weak = std::weak_ptr<notification_stream>(stream)] {
    if (auto s = weak.lock())
      s->signal();
  });
  if (const auto* refused = std::get_if<runtime::stream_refusal>(&subscribed)) {
    bool per_user = *refused == runtime::stream_refusal::user_full;
    stats.notification_streams_refused.Add({{"limit", per_user ? "user" : "node"}}).Increment();
    return respond(rendered(service_unavailable(per_user ? "You have as many live streams open on this server as "
                                                           "it allows; close one first."
                                                         : "This server has as many live streams open as it allows.",
                                                stream_retry_after_s),
                            *ctx));
  }
  stream->attach(std::get<std::shared_ptr<runtime::live_stream>>(std::move(subscribed)));
  if (last_event_id.empty()) {
    ctx->stream = std::move(stream);
    return respond(stream_head());
  }
  auto known = live.position_of(last_event_id);
  auto* hub = &live;
  feed.resume(ctx->principal.id(), std::move(last_event_id), std::move(known), max_backlog,
              [ctx, respond, stream, hub](runtime::outcome<std::optional<runtime::stream_resumption>> resumed) {
                if (const auto* e = runtime::failed(resumed))
                  return respond(rendered(from_error(*e), *ctx));
                // An id nobody knows any more: all that can be done is to go on live.
                if (auto& found = std::get<std::optional<runtime::stream_resumption>>(resumed)) {
                  bool full = found->missed.size() >= max_backlog;
                  // What this node saw before the stream opened but the feed does not hold yet;
                  // after a full page the client resumes again, and gets those then.
                  auto missed =
                      full ? std::move(found->missed)
                           : merged(std::move(found->missed), hub->recent_after(ctx->principal.id(), found->anchor));
                  stream->resume_from(std::move(found->anchor), std::move(missed), full);
                }
                ctx->stream = stream;
                respond(stream_head());
              });
}

}  // namespace

void add_notification_routes(router& routes, runtime::notification_gateway& feed, runtime::live_notifications& live,
                             runtime::metrics& stats) {
  auto* gw = &feed;
  auto* hub = &live;
  auto* counters = &stats;
  const route_policy reads{.scope = "tasks:read"};
  routes.add(http::verb::get, "/api/v1/notifications", reads,
             [gw](context_ptr ctx, responder respond) { list_notifications(*gw, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::post, "/api/v1/notifications/{id}/read", reads,
             [gw](context_ptr ctx, responder respond) { mark_read(*gw, std::move(ctx), std::move(respond)); });
  routes.add(http::verb::get, "/api/v1/events", reads, [gw, hub, counters](context_ptr ctx, responder respond) {
    open_stream(*gw, *hub, *counters, std::move(ctx), std::move(respond));
  });
}

}  // namespace taskflow::edge
