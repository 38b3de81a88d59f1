// The filters every API version's task list takes, read the same way: a
// status name and an assignee id (the parameter v1 calls `assignee_id` and
// v2 `assignee`). A parameter given empty counts as absent.
#pragma once

#include <string>

#include "http-edge/handlers/task_mapper.hpp"
#include "messages/common/field_errors.hpp"
#include "messages/task/task_replies.pb.h"

namespace taskflow::edge {

// The value of `name`, or null when it is absent or empty.
const std::string* list_param(const query_params& params, const std::string& name);

// Sets the status and assignee filters of `query`; a value that is not a
// status name or a user id adds a field error naming its parameter.
void read_task_filters(const query_params& params, const std::string& assignee_param, messages::ListTasksQuery& query,
                       messages::field_errors& errors);

}  // namespace taskflow::edge
