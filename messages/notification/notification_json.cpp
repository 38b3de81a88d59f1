#include "messages/notification/notification_json.hpp"

#include "messages/time/rfc3339.hpp"

namespace taskflow::messages {

nlohmann::json notification_to_json(const Notification& n, std::optional<std::int64_t> read_at_ms) {
  return {{"id", n.id()},
          {"type", n.type()},
          {"task_id", n.task_id()},
          {"message", n.message()},
          {"created_at", clock::format_rfc3339(n.created_at_ms())},
          {"read_at", read_at_ms ? nlohmann::json(clock::format_rfc3339(*read_at_ms)) : nlohmann::json(nullptr)}};
}

}  // namespace taskflow::messages
