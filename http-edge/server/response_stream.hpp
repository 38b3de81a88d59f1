// A response body produced over time, such as Server-Sent Events. A handler
// that streams sets request_context::stream and answers the head (status and
// headers); the connection then writes the body in chunks as the stream
// produces them, a heartbeat when it is quiet, and ends it when the stream
// is over, the client goes away or the server drains.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace taskflow::edge {

class response_stream {
public:
  virtual ~response_stream() = default;

  // What to write next: "" when nothing is ready, nullopt once the stream is
  // over. Called on the connection's strand.
  virtual std::optional<std::string> next() = 0;

  // Asks to be told once, from any thread, when next() may have more.
  virtual void wait(std::function<void()> ready) = 0;

  // Written when the stream has been quiet for a while, so proxies keep the
  // connection and a vanished client is noticed.
  virtual std::string heartbeat() const = 0;

  // The connection is ending; no calls follow.
  virtual void close() = 0;
};

}  // namespace taskflow::edge
