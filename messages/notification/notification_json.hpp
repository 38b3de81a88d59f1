// A notification as clients see it (API.md, Notifications):
// {id, type, task_id, message, created_at, read_at}. One shape for the feed,
// the live stream and webhook deliveries, so a receiver parses all three alike.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "messages/notification/notification.pb.h"

namespace taskflow::messages {

// `read_at_ms` is absent for what was never read, and always in a stream or
// a webhook delivery, which carry a notification as it was raised.
nlohmann::json notification_to_json(const Notification& n, std::optional<std::int64_t> read_at_ms = std::nullopt);

}  // namespace taskflow::messages
