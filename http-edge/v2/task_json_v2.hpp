// The v2 shape of a task (API.md "Tasks (v2 shape)") and the v2 request
// bodies: several assignees, tags, an external reference, a named priority
// and the status with the time it last changed. The same model as v1 (see
// task_json_v1.hpp); only the view differs. Bodies are checked for JSON types
// and names here; the domain checks the values.
#pragma once

#include <optional>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "messages/common/field_errors.hpp"
#include "messages/task/task.pb.h"
#include "messages/task/task_commands.pb.h"

namespace taskflow::edge::v2 {

using messages::field_errors;

nlohmann::json task_to_json(const messages::TaskSnapshot& task);

// "low", "medium", "high", "urgent" for the model's 1..4.
std::string_view priority_name(int priority);
std::optional<int> parse_priority(std::string_view name);

std::variant<messages::CreateTask, field_errors> create_from_json(const nlohmann::json& body);

// Merge patch (RFC 7396): absent fields stay; null clears description,
// assignees, tags and due_at. `state.status` moves the task. Read-only fields
// (id, owner_id, external_ref, version, timestamps, state.changed_at) are
// ignored so read-modify-write clients can send a whole task back.
std::variant<messages::UpdateTask, field_errors> update_from_json(const nlohmann::json& body);

}  // namespace taskflow::edge::v2
