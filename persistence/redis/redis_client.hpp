// A small synchronous Redis client over hiredis: a pool of connections with
// connect and command timeouts, reconnecting after any error. Redis is an
// accelerator in TaskFlow, so the timeouts are short and every failure is a
// store_errc value the caller can fall back from. General on purpose: the
// query cache uses it, and so can revocation sets, rate-limit counters or
// an idempotency fast path.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

struct redisContext;

namespace taskflow::persistence {

struct redis_reply {
  enum class kind { nil, string, integer, array, status };
  kind type = kind::nil;
  std::string text;  // string and status
  std::int64_t integer = 0;
  std::vector<redis_reply> elements;

  bool is_nil() const { return type == kind::nil; }
};

struct redis_options {
  std::string url;  // redis://host[:port][/db]
  std::size_t connections = 4;
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds command_timeout{200};
};

class redis_client {
public:
  // Parses the URL; connects lazily, so a Redis that is down at start only
  // means a slower node, not one that fails to start.
  static caf::expected<std::shared_ptr<redis_client>> create(redis_options options);
  ~redis_client();
  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;

  // One command, arguments binary-safe. A Redis error reply is
  // store_errc::unavailable with the server's message; so is a broken or
  // timed-out connection (store_errc::timeout), which is then closed.
  caf::expected<redis_reply> command(const std::vector<std::string_view>& args);

private:
  struct context_deleter {
    void operator()(redisContext* c) const;
  };
  using context_ptr = std::unique_ptr<redisContext, context_deleter>;
  explicit redis_client(redis_options options, std::string host, int port, int db);
  caf::expected<context_ptr> connect() const;

  redis_options options_;
  std::string host_;
  int port_;
  int db_;
  std::mutex mutex_;
  std::condition_variable free_cv_;
  std::vector<context_ptr> idle_;
  std::size_t open_ = 0;
};

}  // namespace taskflow::persistence
