// Wall-clock time as every message carries it: milliseconds since the Unix
// epoch (the *_at_ms fields).
#pragma once

#include <cstdint>

namespace taskflow::clock {

std::int64_t unix_now_ms();

}  // namespace taskflow::clock
