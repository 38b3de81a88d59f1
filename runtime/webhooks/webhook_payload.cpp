#include "runtime/webhooks/webhook_payload.hpp"

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "runtime/webhooks/webhook_signature.hpp"

namespace taskflow::runtime {
namespace {

// RFC 3339 in UTC with milliseconds, as the API writes every time.
std::string utc_time(std::int64_t unix_ms) {
  auto seconds = unix_ms / 1000 - (unix_ms % 1000 < 0 ? 1 : 0);
  auto millis = unix_ms - seconds * 1000;
  auto t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[40];
  auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis));
  return text;
}

}  // namespace

std::string webhook_body(const messages::Notification& notification) {
  nlohmann::json body{{"id", notification.id()},
                      {"type", notification.type()},
                      {"task_id", notification.task_id()},
                      {"message", notification.message()},
                      {"created_at", utc_time(notification.created_at_ms())},
                      {"read_at", nullptr}};
  return body.dump();
}

std::vector<std::pair<std::string, std::string>> webhook_headers(const std::string& key, const std::string& webhook_id,
                                                                 std::int64_t timestamp_s, const std::string& body) {
  return {{"content-type", "application/json"},
          {"webhook-id", webhook_id},
          {"webhook-timestamp", std::to_string(timestamp_s)},
          {"webhook-signature", webhook_signature(key, webhook_id, timestamp_s, body)}};
}

}  // namespace taskflow::runtime
