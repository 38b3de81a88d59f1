#include "runtime/notifications/live_notifications.hpp"

#include <algorithm>

namespace taskflow::runtime {

struct live_stream::hub {
  mutable std::mutex mutex;
  std::unordered_multimap<std::string, live_stream*> by_recipient;
  std::unordered_map<std::string, ports::feed_position> positions;
  std::deque<messages::Notification> recent;  // oldest first, for forgetting

  void remove(live_stream* stream) {
    std::lock_guard lock{mutex};
    auto [first, last] = by_recipient.equal_range(stream->owner_.recipient_id);
    for (auto it = first; it != last; ++it)
      if (it->second == stream) {
        by_recipient.erase(it);
        return;
      }
  }
};

live_stream::live_stream(std::weak_ptr<hub> owner_hub, stream_owner owner, std::size_t capacity,
                         std::function<void()> wake)
    : hub_(std::move(owner_hub)), owner_(std::move(owner)), capacity_(capacity), wake_(std::move(wake)) {}

live_stream::~live_stream() {
  if (auto h = hub_.lock())
    h->remove(this);
}

live_stream::batch live_stream::take() {
  std::lock_guard lock{mutex_};
  batch out;
  out.items.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  out.ended = ended_;
  woken_ = false;
  return out;
}

void live_stream::notify() {
  if (!woken_) {
    woken_ = true;
    wake_();
  }
}

void live_stream::offer(const messages::Notification& n) {
  std::lock_guard lock{mutex_};
  if (ended_)
    return;
  if (queue_.size() >= capacity_) {
    // What is queued still goes out; the client resumes after it.
    ended_ = true;
  } else {
    queue_.push_back(n);
  }
  notify();
}

void live_stream::end() {
  std::lock_guard lock{mutex_};
  if (ended_)
    return;
  ended_ = true;
  notify();
}

live_notifications::live_notifications(live_limits limits)
    : hub_(std::make_shared<live_stream::hub>()), limits_(limits) {}

void live_notifications::publish(const std::vector<messages::Notification>& notifications) {
  std::lock_guard lock{hub_->mutex};
  for (const auto& n : notifications) {
    if (hub_->positions.emplace(n.id(), ports::feed_position_of(n)).second) {
      hub_->recent.push_back(n);
      if (hub_->recent.size() > limits_.remembered) {
        hub_->positions.erase(hub_->recent.front().id());
        hub_->recent.pop_front();
      }
    }
    auto [first, last] = hub_->by_recipient.equal_range(n.recipient_id());
    for (auto it = first; it != last; ++it)
      it->second->offer(n);
  }
}

std::variant<std::shared_ptr<live_stream>, stream_refusal> live_notifications::subscribe(stream_owner owner,
                                                                                         std::function<void()> wake) {
  std::lock_guard lock{hub_->mutex};
  if (hub_->by_recipient.size() >= limits_.streams)
    return stream_refusal::node_full;
  if (hub_->by_recipient.count(owner.recipient_id) >= limits_.streams_per_user)
    return stream_refusal::user_full;
  auto recipient = owner.recipient_id;
  std::shared_ptr<live_stream> stream{new live_stream(hub_, std::move(owner), limits_.queue, std::move(wake))};
  hub_->by_recipient.emplace(std::move(recipient), stream.get());
  return stream;
}

void live_notifications::end_lapsed(std::int64_t now_ms,
                                    const std::function<bool(const std::string& session_id)>& revoked) {
  std::lock_guard lock{hub_->mutex};
  for (auto& [recipient, stream] : hub_->by_recipient) {
    const auto& owner = stream->owner();
    if ((owner.expires_at_ms != 0 && owner.expires_at_ms <= now_ms) ||
        (!owner.session_id.empty() && revoked(owner.session_id)))
      stream->end();
  }
}

std::optional<ports::feed_position> live_notifications::position_of(const std::string& id) const {
  std::lock_guard lock{hub_->mutex};
  auto it = hub_->positions.find(id);
  if (it == hub_->positions.end())
    return std::nullopt;
  return it->second;
}

std::vector<messages::Notification> live_notifications::recent_after(const std::string& recipient_id,
                                                                     const ports::feed_position& anchor) const {
  std::vector<messages::Notification> out;
  {
    std::lock_guard lock{hub_->mutex};
    for (const auto& n : hub_->recent)
      if (n.recipient_id() == recipient_id && anchor < ports::feed_position_of(n))
        out.push_back(n);
  }
  std::sort(out.begin(), out.end(), ports::sent_before);
  return out;
}

std::size_t live_notifications::streams() const {
  std::lock_guard lock{hub_->mutex};
  return hub_->by_recipient.size();
}

}  // namespace taskflow::runtime
