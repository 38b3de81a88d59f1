#include "http-edge/v1/notification_json_v1.hpp"

#include "http-edge/json/rfc3339.hpp"

namespace taskflow::edge::v1 {

nlohmann::json notification_to_json(const messages::Notification& n, std::optional<std::int64_t> read_at_ms) {
  return {{"id", n.id()},
          {"type", n.type()},
          {"task_id", n.task_id()},
          {"message", n.message()},
          {"created_at", format_rfc3339(n.created_at_ms())},
          {"read_at", read_at_ms ? nlohmann::json(format_rfc3339(*read_at_ms)) : nlohmann::json(nullptr)}};
}

}  // namespace taskflow::edge::v1
