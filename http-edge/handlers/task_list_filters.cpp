#include "http-edge/handlers/task_list_filters.hpp"

#include "messages/ids/uuid.hpp"
#include "messages/task/task_status_names.hpp"

namespace taskflow::edge {

const std::string* list_param(const query_params& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() || it->second.empty() ? nullptr : &it->second;
}

void read_task_filters(const query_params& params, const std::string& assignee_param, messages::ListTasksQuery& query,
                       messages::field_errors& errors) {
  if (const auto* status = list_param(params, "status")) {
    if (auto parsed = messages::parse_status(*status))
      query.set_status(*parsed);
    else
      messages::add_field_error(errors, "status", "must be one of todo, in_progress, done, cancelled");
  }
  if (const auto* assignee = list_param(params, assignee_param)) {
    if (ids::is_uuid(*assignee))
      query.set_assignee_id(*assignee);
    else
      messages::add_field_error(errors, assignee_param, "must be a user id (UUID)");
  }
}

}  // namespace taskflow::edge
