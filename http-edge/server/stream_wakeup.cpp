#include "http-edge/server/stream_wakeup.hpp"

namespace taskflow::edge {

void stream_wakeup::signal() {
  std::function<void()> ready;
  {
    std::lock_guard lock{mutex_};
    if (!ready_) {
      signalled_ = true;
      return;
    }
    ready = std::move(ready_);
    ready_ = nullptr;
  }
  ready();
}

void stream_wakeup::wait(std::function<void()> ready) {
  {
    std::lock_guard lock{mutex_};
    if (!signalled_ && !closed_) {
      ready_ = std::move(ready);
      return;
    }
    signalled_ = false;
  }
  ready();
}

void stream_wakeup::close() {
  std::lock_guard lock{mutex_};
  closed_ = true;
  ready_ = nullptr;
}

}  // namespace taskflow::edge
