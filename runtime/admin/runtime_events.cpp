#include "runtime/admin/runtime_events.hpp"

#include <algorithm>

namespace taskflow::runtime {

struct runtime_event_subscription::hub {
  mutable std::mutex mutex;
  std::uint64_t next_seq = 1;
  std::vector<runtime_event_subscription*> subscribers;
};

runtime_event_subscription::runtime_event_subscription(std::weak_ptr<hub> owner, std::size_t capacity,
                                                       std::function<void()> wake)
    : hub_(std::move(owner)), capacity_(std::max<std::size_t>(capacity, 1)), wake_(std::move(wake)) {}

runtime_event_subscription::~runtime_event_subscription() {
  // Under the hub's lock, so no publish is still offering to us afterwards.
  if (auto owner = hub_.lock()) {
    std::lock_guard lock{owner->mutex};
    auto& subs = owner->subscribers;
    subs.erase(std::remove(subs.begin(), subs.end(), this), subs.end());
  }
}

runtime_event_subscription::batch runtime_event_subscription::take() {
  std::lock_guard lock{mutex_};
  batch out;
  out.events.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  out.dropped = dropped_;
  dropped_ = 0;
  woken_ = false;
  return out;
}

void runtime_event_subscription::offer(const runtime_event& event) {
  bool wake = false;
  {
    std::lock_guard lock{mutex_};
    if (queue_.size() >= capacity_) {
      queue_.pop_front();
      ++dropped_;
    }
    queue_.push_back(event);
    wake = !woken_;
    woken_ = true;
  }
  if (wake && wake_)
    wake_();
}

runtime_events::runtime_events(std::size_t queue_capacity)
    : hub_(std::make_shared<runtime_event_subscription::hub>()), capacity_(queue_capacity) {}

void runtime_events::publish(runtime_event event) {
  std::lock_guard lock{hub_->mutex};
  event.seq = hub_->next_seq++;
  for (auto* sub : hub_->subscribers)
    sub->offer(event);
}

std::shared_ptr<runtime_event_subscription> runtime_events::subscribe(std::function<void()> wake) {
  std::shared_ptr<runtime_event_subscription> sub{new runtime_event_subscription(hub_, capacity_, std::move(wake))};
  std::lock_guard lock{hub_->mutex};
  hub_->subscribers.push_back(sub.get());
  return sub;
}

std::size_t runtime_events::subscribers() const {
  std::lock_guard lock{hub_->mutex};
  return hub_->subscribers.size();
}

}  // namespace taskflow::runtime
