// The v1 shape of a task (API.md "Tasks (v1 shape)") and the v1 request bodies.
// v1 sees one assignee: the first of the model's list; setting it through v1
// replaces the list. Body parsing checks JSON types only; the domain checks
// the values, so both layers' messages reach the client in one `errors` list.
#pragma once

#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages/common/field_errors.hpp"
#include "messages/task/task.pb.h"
#include "messages/task/task_commands.pb.h"

namespace taskflow::edge::v1 {

nlohmann::json task_to_json(const messages::TaskSnapshot& task);

using messages::field_errors;

std::variant<messages::CreateTask, field_errors> create_from_json(const nlohmann::json& body);

// Merge patch (RFC 7396): absent fields stay, null clears where that means
// something. Read-only fields (id, owner_id, version, timestamps, source,
// external_id) are ignored so read-modify-write clients can send a whole task.
std::variant<messages::UpdateTask, field_errors> update_from_json(const nlohmann::json& body);

}  // namespace taskflow::edge::v1
