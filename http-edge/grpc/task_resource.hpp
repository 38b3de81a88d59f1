// The gRPC view of a task (taskflow.v1.Task, the v2 shape as a Protobuf
// message) and how the service's requests become the domain's commands and
// queries. Only types and names are checked here; the domain checks values,
// as it does for REST.
#pragma once

#include <string>
#include <variant>

#include <taskflow/v1/tasks.pb.h>

#include "messages/common/field_errors.hpp"
#include "messages/task/task.pb.h"
#include "messages/task/task_commands.pb.h"
#include "messages/task/task_replies.pb.h"

namespace taskflow::edge::grpc_api {

using messages::field_errors;

taskflow::v1::Task to_resource(const messages::TaskSnapshot& task);

// The create command for `task`; its output-only fields are ignored.
std::variant<messages::CreateTask, field_errors> create_from_resource(const taskflow::v1::Task& task);

// The update command for the fields `mask` names (AIP-134): "*" is every
// updatable field, no mask the fields `task` sets to something other than
// their default. Output-only paths are ignored, unknown ones refused.
std::variant<messages::UpdateTask, field_errors> update_from_resource(const taskflow::v1::Task& task,
                                                                      const google::protobuf::FieldMask* mask);

// Fills filters and paging of `query` (whose viewer is already set). Page
// tokens are REST v2's cursors, so either API continues the other's list.
field_errors read_list_request(const taskflow::v1::ListTasksRequest& request, messages::ListTasksQuery& query);

taskflow::v1::ListTasksResponse to_list_response(const messages::TaskPage& page, const messages::ListTasksQuery& query);

// The request field a domain error names ("due_date" -> "task.due_at").
std::string request_field(const std::string& domain_field);

}  // namespace taskflow::edge::grpc_api
