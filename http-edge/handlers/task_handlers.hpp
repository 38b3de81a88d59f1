// /api/v1/tasks: the v1 task resource. Each handler validates what HTTP owns
// (media type, JSON, preconditions), turns the request into one TaskCommand or
// a list query, and maps the reply back. No store is ever touched from here.
#pragma once

#include <string>

#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/router.hpp"
#include "runtime/config/config.hpp"
#include "runtime/gateway/task_gateway.hpp"

namespace taskflow::edge {

void add_task_routes_v1(router& routes, runtime::task_gateway& gateway, const runtime::config& cfg);

}  // namespace taskflow::edge
