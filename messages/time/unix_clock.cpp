#include "messages/time/unix_clock.hpp"

#include <chrono>

namespace taskflow::clock {

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace taskflow::clock
