// A Server-Sent Events client for end-to-end tests: opens GET `path` on its
// own connection (HTTP/1.0, so the body arrives as plain text and ends when
// the server closes), reads in the background, and parses events as they
// come, the way an EventSource would.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace taskflow::e2e {

struct sse_event {
  std::string id;
  std::string event;
  std::string data;
};

class event_stream {
public:
  event_stream(std::uint16_t port, const std::string& path, const std::map<std::string, std::string>& headers);
  ~event_stream();
  event_stream(const event_stream&) = delete;
  event_stream& operator=(const event_stream&) = delete;

  // The status of the answer, once its head arrived (0 if it did not within `limit`).
  int status(std::chrono::milliseconds limit = std::chrono::seconds{10});

  // Waits until `enough` holds for the events so far, the server ends the
  // stream, or `limit` passes; answers the events so far.
  std::vector<sse_event> wait_for(const std::function<bool(const std::vector<sse_event>&)>& enough,
                                  std::chrono::milliseconds limit);
  std::vector<sse_event> events();
  // True once the server closed the connection.
  bool ended(std::chrono::milliseconds limit = std::chrono::milliseconds{0});
  // Everything received, head included, for failure messages.
  std::string wire();

private:
  void read_loop();
  void parse();

  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string wire_;
  std::size_t parsed_ = 0;  // bytes of the body parsed into events
  std::size_t body_at_ = std::string::npos;
  std::vector<sse_event> events_;
  bool closed_ = false;
  std::thread reader_;
};

}  // namespace taskflow::e2e
