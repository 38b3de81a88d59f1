// /api/vN/tasks: the task resource of every API version. Each handler
// validates what HTTP owns (media type, JSON, preconditions), has the
// version's mapper turn the request into one TaskCommand or a list query, and
// maps the reply back the same way. No store is ever touched from here.
#pragma once

#include <memory>
#include <string>

#include "http-edge/handlers/recent_writes.hpp"
#include "http-edge/handlers/task_mapper.hpp"
#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/router.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/task_gateway.hpp"

namespace taskflow::edge {

// The task routes of one version, under mapper.tasks_path(); `writes`
// remembers each principal's last write for their next list.
void add_task_routes(router& routes, runtime::task_gateway& gateway, const runtime::config& cfg,
                     const task_mapper& mapper, std::shared_ptr<recent_writes> writes);

// The task routes of every version the edge serves (api_versions()), all
// remembering writes in `writes`.
void add_task_routes(router& routes, runtime::task_gateway& gateway, const runtime::config& cfg,
                     std::shared_ptr<recent_writes> writes);

}  // namespace taskflow::edge
