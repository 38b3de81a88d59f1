#include "tests/faults/delaying_proxy.hpp"

#include <cerrno>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace taskflow::faults_test {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t max_connections = 256;

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Whether `fd` has something to read within 50 ms.
bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 50) > 0;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    auto n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

delaying_proxy::delaying_proxy(std::uint16_t target_port) : target_port_(target_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback(0);
  socklen_t size = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 64) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("delaying_proxy: cannot listen on loopback");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::jthread{[this] { accept_connections(); }};
}

delaying_proxy::~delaying_proxy() {
  stopping_ = true;
  acceptor_ = {};
  pumps_.clear();
  for (int fd : sockets_)
    ::close(fd);
  ::close(listener_);
}

void delaying_proxy::accept_connections() {
  while (!stopping_) {
    if (!readable(listener_))
      continue;
    int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0)
      continue;
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    auto target = loopback(target_port_);
    std::lock_guard lock{mutex_};
    if (sockets_.size() >= 2 * max_connections || server < 0 ||
        ::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
      ::close(client);
      if (server >= 0)
        ::close(server);
      continue;
    }
    sockets_.push_back(client);
    sockets_.push_back(server);
    pumps_.emplace_back([this, client, server] { pass(client, server, false); });
    pumps_.emplace_back([this, client, server] { pass(server, client, true); });
  }
}

// The delay is read again at every wake-up, so a chunk held under a long
// delay goes as soon as the test shortens it.
bool delaying_proxy::hold(std::chrono::steady_clock::time_point received) const {
  while (!stopping_) {
    auto due = received + std::chrono::milliseconds{delay_ms_.load()};
    auto now = std::chrono::steady_clock::now();
    if (now >= due)
      return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(50ms, due - now));
  }
  return false;
}

// Copies from -> to until either side closes; the other direction's pump
// sees the shutdown and ends too. Sockets are closed by the destructor only,
// so no descriptor is reused while a pump may still touch it.
void delaying_proxy::pass(int from, int to, bool delayed) {
  char buffer[16 * 1024];
  while (!stopping_) {
    if (!readable(from))
      continue;
    auto n = ::recv(from, buffer, sizeof buffer, 0);
    if (n <= 0)
      break;
    if (delayed && !hold(std::chrono::steady_clock::now()))
      break;
    if (!write_all(to, buffer, static_cast<std::size_t>(n)))
      break;
  }
  ::shutdown(from, SHUT_RDWR);
  ::shutdown(to, SHUT_RDWR);
}

}  // namespace taskflow::faults_test
