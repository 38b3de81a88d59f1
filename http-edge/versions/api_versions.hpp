// The API versions this edge serves, in one table: each version's task mapper
// and OpenAPI document. Version resolution, the routes and the served
// contracts all read it, so a new version is one new row (and its mapper).
#pragma once

#include <string_view>
#include <vector>

#include "http-edge/handlers/task_mapper.hpp"

namespace taskflow::edge {

struct api_version {
  int number;
  const task_mapper* tasks;
  std::string_view openapi;
};

// Oldest first; the last one is the latest, which unversioned requests get.
const std::vector<api_version>& api_versions();

std::vector<int> supported_api_versions();

}  // namespace taskflow::edge
