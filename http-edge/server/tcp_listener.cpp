#include "http-edge/server/tcp_listener.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <caf/sec.hpp>

namespace taskflow::edge {
namespace {

std::string why(int err, const std::string& address) {
  switch (err) {
    case EADDRINUSE:
      return address + " is already in use; choose another with --listen HOST:PORT (or TASKFLOW_LISTEN)";
    case EADDRNOTAVAIL:
      return address +
             " is not an address of this machine; choose another with --listen HOST:PORT (or TASKFLOW_LISTEN)";
    case EACCES:
      return "no permission to listen on " + address +
             " (ports below 1024 need privileges); choose another with --listen HOST:PORT (or TASKFLOW_LISTEN)";
    default:
      return "cannot listen on " + address + ": " + std::strerror(err);
  }
}

}  // namespace

caf::expected<tcp_listener> tcp_listener::open(const std::string& host, std::uint16_t port) {
  auto ip = host == "localhost" ? std::string{"127.0.0.1"} : host;
  bool v6 = ip.find(':') != std::string::npos;
  auto address = (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (v6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    if (inet_pton(AF_INET6, ip.c_str(), &in6->sin6_addr) != 1)
      return caf::make_error(caf::sec::invalid_argument, "cannot listen on '" + host + "': not an IP address");
    length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    if (inet_pton(AF_INET, ip.c_str(), &in4->sin_addr) != 1)
      return caf::make_error(caf::sec::invalid_argument, "cannot listen on '" + host + "': not an IP address");
    length = sizeof(sockaddr_in);
  }
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return caf::make_error(caf::sec::cannot_open_port, why(errno, address));
  tcp_listener listener{fd, v6, port};
  // Lets a restarted node take its port back while the old connections sit
  // in TIME_WAIT; it does not let two live listeners share it.
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || ::listen(fd, SOMAXCONN) != 0)
    return caf::make_error(caf::sec::cannot_open_port, why(errno, address));
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0)
    listener.port_ = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                              : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  return listener;
}

tcp_listener::tcp_listener(tcp_listener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), ipv6_(other.ipv6_), port_(other.port_) {}

tcp_listener& tcp_listener::operator=(tcp_listener&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    ipv6_ = other.ipv6_;
    port_ = other.port_;
  }
  return *this;
}

tcp_listener::~tcp_listener() {
  if (fd_ >= 0)
    ::close(fd_);
}

int tcp_listener::release() {
  return std::exchange(fd_, -1);
}

}  // namespace taskflow::edge
