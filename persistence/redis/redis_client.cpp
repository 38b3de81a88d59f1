#include "persistence/redis/redis_client.hpp"

#include <cerrno>

#include <sys/time.h>

#include <hiredis/hiredis.h>

#include "actors/ports/store_error.hpp"
#include "actors/ports/thread_role.hpp"

namespace taskflow::persistence {
namespace {

using ports::store_errc;

timeval to_timeval(std::chrono::milliseconds d) {
  return timeval{static_cast<time_t>(d.count() / 1000), static_cast<suseconds_t>((d.count() % 1000) * 1000)};
}

redis_reply convert(const redisReply* r) {
  redis_reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = redis_reply::kind::string;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = redis_reply::kind::status;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = redis_reply::kind::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = redis_reply::kind::array;
      for (std::size_t i = 0; i < r->elements; ++i)
        out.elements.push_back(convert(r->element[i]));
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

void redis_client::context_deleter::operator()(redisContext* c) const {
  redisFree(c);
}

caf::expected<std::shared_ptr<redis_client>> redis_client::create(redis_options options) {
  const std::string scheme = "redis://";
  if (options.url.rfind(scheme, 0) != 0)
    return ports::make_error(store_errc::unavailable, "Redis URL must start with redis://: " + options.url);
  auto rest = options.url.substr(scheme.size());
  int db = 0;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    auto db_text = rest.substr(slash + 1);
    rest.resize(slash);
    if (!db_text.empty())
      db = std::atoi(db_text.c_str());
  }
  int port = 6379;
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    port = std::atoi(rest.c_str() + colon + 1);
    rest.resize(colon);
  }
  if (rest.empty() || port <= 0)
    return ports::make_error(store_errc::unavailable, "cannot parse Redis URL " + options.url);
  return std::shared_ptr<redis_client>(new redis_client(std::move(options), rest, port, db));
}

redis_client::redis_client(redis_options options, std::string host, int port, int db)
    : options_(std::move(options)), host_(std::move(host)), port_(port), db_(db) {}

redis_client::~redis_client() = default;

caf::expected<redis_client::context_ptr> redis_client::connect() const {
  context_ptr ctx{redisConnectWithTimeout(host_.c_str(), port_, to_timeval(options_.connect_timeout))};
  if (!ctx)
    return ports::make_error(store_errc::unavailable, "cannot allocate a Redis context");
  if (ctx->err)
    return ports::make_error(store_errc::unavailable, "cannot connect to Redis: " + std::string{ctx->errstr});
  redisSetTimeout(ctx.get(), to_timeval(options_.command_timeout));
  if (db_ != 0) {
    auto* reply = static_cast<redisReply*>(redisCommand(ctx.get(), "SELECT %d", db_));
    bool ok = reply && reply->type != REDIS_REPLY_ERROR;
    if (reply)
      freeReplyObject(reply);
    if (!ok)
      return ports::make_error(store_errc::unavailable, "Redis refused SELECT " + std::to_string(db_));
  }
  return ctx;
}

caf::expected<redis_reply> redis_client::command(const std::vector<std::string_view>& args) {
  ports::expect_blocking_allowed("Redis");
  context_ptr ctx;
  {
    std::unique_lock lock{mutex_};
    free_cv_.wait_for(lock, options_.command_timeout,
                      [this] { return !idle_.empty() || open_ < options_.connections; });
    if (!idle_.empty()) {
      ctx = std::move(idle_.back());
      idle_.pop_back();
    } else if (open_ < options_.connections) {
      ++open_;
    } else {
      return ports::make_error(store_errc::timeout, "no Redis connection free in time");
    }
  }
  // From here this call owns one slot of the pool, with or without a context.
  auto give_back = [this](context_ptr c) {
    std::lock_guard lock{mutex_};
    if (c)
      idle_.push_back(std::move(c));
    else
      --open_;
    free_cv_.notify_one();
  };
  if (!ctx) {
    auto connected = connect();
    if (!connected) {
      give_back(nullptr);
      return connected.error();
    }
    ctx = std::move(*connected);
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (auto a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* raw =
      static_cast<redisReply*>(redisCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (!raw) {
    // The connection is in an unknown state (timeout, reset): drop it.
    auto errc = ctx->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK) ? store_errc::timeout
                                                                                      : store_errc::unavailable;
    auto error = ports::make_error(errc, "Redis command failed: " + std::string{ctx->errstr});
    give_back(nullptr);
    return error;
  }
  std::unique_ptr<redisReply, void (*)(void*)> reply{raw, freeReplyObject};
  give_back(std::move(ctx));
  if (reply->type == REDIS_REPLY_ERROR)
    return ports::make_error(store_errc::unavailable, "Redis: " + std::string{reply->str, reply->len});
  return convert(reply.get());
}

}  // namespace taskflow::persistence
