// A wall-clock time as the API writes it (RFC 3339, UTC, milliseconds), for
// tests that set due dates relative to now.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace taskflow::e2e {

inline std::string rfc3339(std::chrono::system_clock::time_point at) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  std::time_t seconds = ms / 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char head[32];
  std::strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &utc);
  char full[48];
  std::snprintf(full, sizeof full, "%s.%03dZ", head, static_cast<int>(ms % 1000));
  return full;
}

}  // namespace taskflow::e2e
