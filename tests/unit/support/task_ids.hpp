// Ids the actor-level tests give their tasks and their owner.
#pragma once

#include <cstdio>
#include <string>

namespace taskflow::testing {

inline const std::string owner = "01a20f1d-0000-7000-8000-000000000001";

inline std::string task_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "01a20f1d-e9b0-73d9-98cf-%012d", n);
  return buf;
}

}  // namespace taskflow::testing
