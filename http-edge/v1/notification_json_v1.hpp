// JSON shape of a notification (API.md, Notifications), the same in the
// feed, the live stream and, read_at aside, webhook deliveries.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "messages/notification/notification.pb.h"

namespace taskflow::edge::v1 {

nlohmann::json notification_to_json(const messages::Notification& n, std::optional<std::int64_t> read_at_ms);

}  // namespace taskflow::edge::v1
