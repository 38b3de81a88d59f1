// A blocking_executor that runs each job at once on the caller's thread, so
// unit tests of actor logic step through store calls in order, without
// threads.
#pragma once

#include <functional>

#include "actors/ports/blocking_executor.hpp"

namespace taskflow::testing {

class inline_executor final : public ports::blocking_executor {
public:
  bool post(std::function<void()> work) override {
    work();
    return true;
  }
};

}  // namespace taskflow::testing
