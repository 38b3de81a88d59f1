// The edge's listening socket, opened before the node starts anything else:
// a taken address then ends the process at once, with one line naming the
// flag that changes it, instead of after the store, the cluster and the
// actors came up (and had to go down again).
#pragma once

#include <cstdint>
#include <string>

#include <caf/expected.hpp>

namespace taskflow::edge {

class tcp_listener {
public:
  // Binds and listens on an IP address ("localhost" means 127.0.0.1); port 0
  // picks a free one.
  static caf::expected<tcp_listener> open(const std::string& host, std::uint16_t port);

  tcp_listener(tcp_listener&& other) noexcept;
  tcp_listener& operator=(tcp_listener&& other) noexcept;
  tcp_listener(const tcp_listener&) = delete;
  tcp_listener& operator=(const tcp_listener&) = delete;
  ~tcp_listener();

  std::uint16_t port() const { return port_; }
  bool ipv6() const { return ipv6_; }

  // Hands the descriptor to its new owner (the server's acceptor).
  int release();

private:
  tcp_listener(int fd, bool ipv6, std::uint16_t port) : fd_(fd), ipv6_(ipv6), port_(port) {}
  int fd_ = -1;
  bool ipv6_ = false;
  std::uint16_t port_ = 0;
};

}  // namespace taskflow::edge
