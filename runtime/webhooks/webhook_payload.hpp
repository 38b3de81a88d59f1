// What a webhook delivery carries and with which headers: the notification as
// the feed serves it (messages/notification/notification_json.hpp), and the
// Standard Webhooks headers that sign it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "messages/notification/notification.pb.h"

namespace taskflow::runtime {

// The same bytes on every attempt, so a receiver may hash or compare them.
std::string webhook_body(const messages::Notification& notification);

// content-type, webhook-id, webhook-timestamp and webhook-signature for one
// attempt; `key` is the secret's bytes.
std::vector<std::pair<std::string, std::string>> webhook_headers(const std::string& key, const std::string& webhook_id,
                                                                 std::int64_t timestamp_s, const std::string& body);

}  // namespace taskflow::runtime
