#include "persistence/redis/redis_query_cache.hpp"

#include "actors/ports/store_error.hpp"

namespace taskflow::persistence {
namespace {

// KEYS[1] generation key; ARGV[1] entry prefix, ARGV[2] entry key.
// Returns {generation} on a miss (Lua drops a trailing nil), or {generation, value}.
constexpr std::string_view lookup_script =
    "local g = redis.call('GET', KEYS[1]) or '0' "
    "return {g, redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])}";

}  // namespace

redis_query_cache::redis_query_cache(std::shared_ptr<redis_client> client, std::string prefix,
                                     std::chrono::milliseconds ttl)
    : client_(std::move(client)), prefix_(std::move(prefix)), ttl_ms_(std::to_string(ttl.count())) {}

caf::expected<cache_lookup> redis_query_cache::get(const std::string& key) {
  auto generation_key = prefix_ + "generation";
  auto entry_prefix = prefix_ + "entry:";
  auto reply = client_->command({"EVAL", lookup_script, "1", generation_key, entry_prefix, key});
  if (!reply)
    return reply.error();
  if (reply->type != redis_reply::kind::array || reply->elements.empty())
    return ports::make_error(ports::store_errc::corrupt, "unexpected reply to the cache lookup");
  cache_lookup out;
  out.generation = reply->elements[0].text;
  if (reply->elements.size() > 1 && reply->elements[1].type == redis_reply::kind::string)
    out.value = std::move(reply->elements[1].text);
  return out;
}

caf::expected<void> redis_query_cache::put(const std::string& generation, const std::string& key,
                                           const std::string& value) {
  auto entry = prefix_ + "entry:" + generation + ":" + key;
  if (auto reply = client_->command({"SET", entry, value, "PX", ttl_ms_}); !reply)
    return reply.error();
  return caf::unit;
}

caf::expected<void> redis_query_cache::invalidate() {
  if (auto reply = client_->command({"INCR", prefix_ + "generation"}); !reply)
    return reply.error();
  return caf::unit;
}

}  // namespace taskflow::persistence
