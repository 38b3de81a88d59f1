// What a fuzz target does when a parser breaks a promise: print which one and
// abort, so libFuzzer stops and writes the input to crash-<sha1>.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace taskflow::fuzz {

inline void expect(bool holds, const char* promise) {
  if (holds)
    return;
  std::fprintf(stderr, "broken invariant: %s\n", promise);
  std::abort();
}

}  // namespace taskflow::fuzz
