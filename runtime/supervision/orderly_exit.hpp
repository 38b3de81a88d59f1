// Which exit reasons mean "stopped on purpose" (not a crash) to the runtime's
// supervisors and shard hosts.
#pragma once

#include <caf/error.hpp>
#include <caf/exit_reason.hpp>

namespace taskflow::runtime {

inline bool is_orderly_exit(const caf::error& reason) {
  return reason == caf::exit_reason::normal || reason == caf::exit_reason::user_shutdown;
}

}  // namespace taskflow::runtime
