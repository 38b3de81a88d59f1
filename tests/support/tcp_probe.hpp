// Whether something listens at an IPv4 address and port, for tests that wait
// for a server to come up or go away.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace taskflow::testing {

// A connect that is neither accepted nor refused `within` (its SYN dropped)
// counts as closed, so a broken link cannot stall the caller.
bool tcp_accepts(const std::string& address, std::uint16_t port,
                 std::chrono::milliseconds within = std::chrono::milliseconds{200});

}  // namespace taskflow::testing
