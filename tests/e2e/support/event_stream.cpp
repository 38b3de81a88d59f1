#include "tests/e2e/support/event_stream.hpp"

#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace taskflow::e2e {

event_stream::event_stream(std::uint16_t port, const std::string& path,
                           const std::map<std::string, std::string>& headers) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0)
    throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("connect failed");
  std::string request = "GET " + path + " HTTP/1.0\r\nHost: test\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers)
    request += name + ": " + value + "\r\n";
  request += "\r\n";
  if (::send(fd_, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error("send failed");
  reader_ = std::thread{[this] { read_loop(); }};
}

event_stream::~event_stream() {
  ::shutdown(fd_, SHUT_RDWR);
  reader_.join();
  ::close(fd_);
}

void event_stream::read_loop() {
  char chunk[4096];
  for (;;) {
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    std::lock_guard lock{mutex_};
    if (n <= 0) {
      closed_ = true;
      changed_.notify_all();
      return;
    }
    wire_.append(chunk, static_cast<std::size_t>(n));
    parse();
    changed_.notify_all();
  }
}

void event_stream::parse() {
  if (body_at_ == std::string::npos) {
    auto end = wire_.find("\r\n\r\n");
    if (end == std::string::npos)
      return;
    body_at_ = end + 4;
    parsed_ = body_at_;
  }
  for (;;) {
    auto end = wire_.find("\n\n", parsed_);
    if (end == std::string::npos)
      return;
    auto block = wire_.substr(parsed_, end - parsed_);
    parsed_ = end + 2;
    sse_event e;
    bool any = false;
    std::size_t at = 0;
    while (at <= block.size()) {
      auto nl = block.find('\n', at);
      auto line = block.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
      at = nl == std::string::npos ? block.size() + 1 : nl + 1;
      auto colon = line.find(": ");
      if (line.empty() || line[0] == ':' || colon == std::string::npos)
        continue;
      auto field = line.substr(0, colon);
      auto value = line.substr(colon + 2);
      if (field == "id")
        e.id = value, any = true;
      else if (field == "event")
        e.event = value, any = true;
      else if (field == "data")
        e.data += value, any = true;
    }
    if (any && !e.data.empty())
      events_.push_back(std::move(e));
  }
}

int event_stream::status(std::chrono::milliseconds limit) {
  std::unique_lock lock{mutex_};
  changed_.wait_for(lock, limit, [this] { return body_at_ != std::string::npos || closed_; });
  auto space = wire_.find(' ');
  if (space == std::string::npos || wire_.size() < space + 4)
    return 0;
  return std::stoi(wire_.substr(space + 1, 3));
}

std::vector<sse_event> event_stream::wait_for(const std::function<bool(const std::vector<sse_event>&)>& enough,
                                              std::chrono::milliseconds limit) {
  std::unique_lock lock{mutex_};
  changed_.wait_for(lock, limit, [&] { return closed_ || enough(events_); });
  return events_;
}

std::vector<sse_event> event_stream::events() {
  std::lock_guard lock{mutex_};
  return events_;
}

bool event_stream::ended(std::chrono::milliseconds limit) {
  std::unique_lock lock{mutex_};
  changed_.wait_for(lock, limit, [this] { return closed_; });
  return closed_;
}

std::string event_stream::wire() {
  std::lock_guard lock{mutex_};
  return wire_;
}

}  // namespace taskflow::e2e
