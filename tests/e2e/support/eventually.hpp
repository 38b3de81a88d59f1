// Polls a condition of a running system (a node's answers, a server's
// state) every 50 ms until it holds or the time is up.
#pragma once

#include <chrono>
#include <thread>

namespace taskflow::e2e {

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds within) {
  auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return pred();
}

}  // namespace taskflow::e2e
