#include "http-edge/handlers/notification_stream.hpp"

#include "messages/notification/notification_json.hpp"

namespace taskflow::edge {
namespace {

constexpr std::size_t remembered_ids = 2048;

bool at_or_before(const messages::Notification& n, const ports::feed_position& p) {
  return !(p < ports::feed_position_of(n));
}

}  // namespace

void notification_stream::attach(std::shared_ptr<runtime::live_stream> live) {
  std::lock_guard lock{mutex_};
  live_ = std::move(live);
}

void notification_stream::resume_from(ports::feed_position anchor, std::vector<messages::Notification> missed,
                                      bool last_page) {
  std::lock_guard lock{mutex_};
  anchor_ = std::move(anchor);
  backlog_ = std::move(missed);
  end_after_backlog_ = last_page;
}

void notification_stream::signal() {
  wakeup_.signal();
}

bool notification_stream::already_sent(const std::string& id) {
  if (!sent_.insert(id).second)
    return true;
  sent_order_.push_back(id);
  if (sent_order_.size() > remembered_ids) {
    sent_.erase(sent_order_.front());
    sent_order_.pop_front();
  }
  return false;
}

std::string notification_stream::frame(const messages::Notification& n) {
  return "id: " + n.id() + "\nevent: " + n.type() + "\ndata: " + messages::notification_to_json(n).dump() + "\n\n";
}

std::optional<std::string> notification_stream::next() {
  std::lock_guard lock{mutex_};
  if (closed_)
    return std::nullopt;
  std::string out;
  if (!greeted_) {
    greeted_ = true;
    // How long a browser waits before reconnecting, with Last-Event-ID.
    out = "retry: 2000\n\n";
    for (const auto& n : backlog_)
      if (!already_sent(n.id()))
        out += frame(n);
    backlog_.clear();
    if (end_after_backlog_) {
      closed_ = true;
      return out;
    }
  }
  auto batch = live_->take();
  for (const auto& n : batch.items)
    if (!(anchor_ && at_or_before(n, *anchor_)) && !already_sent(n.id()))
      out += frame(n);
  if (batch.ended) {
    // Written, then the next call ends the stream.
    closed_ = true;
    if (out.empty())
      return std::nullopt;
  }
  return out;
}

void notification_stream::wait(std::function<void()> ready) {
  wakeup_.wait(std::move(ready));
}

std::string notification_stream::heartbeat() const {
  return ": heartbeat\n\n";
}

void notification_stream::close() {
  std::shared_ptr<runtime::live_stream> live;
  {
    std::lock_guard lock{mutex_};
    closed_ = true;
    live = std::move(live_);
  }
  wakeup_.close();
  // Unsubscribing waits for a publish in progress, which may be calling
  // signal(); it must not wait while we hold our lock.
  live.reset();
}

}  // namespace taskflow::edge
