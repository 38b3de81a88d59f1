// The wait/signal handshake between a response stream's producer, on any
// thread, and the connection that drains it: the connection asks to be told
// once when the stream may have more (wait), the producer tells (signal),
// and a signal that comes before anyone waits is kept, so none is lost.
#pragma once

#include <functional>
#include <mutex>

namespace taskflow::edge {

class stream_wakeup {
public:
  // Runs the waiting callback, if any, outside the lock; else remembers.
  void signal();
  // Runs `ready` at once if signalled (or closed) since the last wait.
  void wait(std::function<void()> ready);
  // Drops a waiting callback; every later wait runs at once.
  void close();

private:
  std::mutex mutex_;
  std::function<void()> ready_;
  bool signalled_ = false;
  bool closed_ = false;
};

}  // namespace taskflow::edge
