#include "runtime/webhooks/webhook_payload.hpp"

#include "messages/notification/notification_json.hpp"
#include "runtime/webhooks/webhook_signature.hpp"

namespace taskflow::runtime {

std::string webhook_body(const messages::Notification& notification) {
  return messages::notification_to_json(notification).dump();
}

std::vector<std::pair<std::string, std::string>> webhook_headers(const std::string& key, const std::string& webhook_id,
                                                                 std::int64_t timestamp_s, const std::string& body) {
  return {{"content-type", "application/json"},
          {"webhook-id", webhook_id},
          {"webhook-timestamp", std::to_string(timestamp_s)},
          {"webhook-signature", webhook_signature(key, webhook_id, timestamp_s, body)}};
}

}  // namespace taskflow::runtime
