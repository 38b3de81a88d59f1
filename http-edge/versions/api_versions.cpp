#include "http-edge/versions/api_versions.hpp"

#include "http-edge/openapi/openapi_document.hpp"
#include "http-edge/v1/task_mapper_v1.hpp"
#include "http-edge/v2/task_mapper_v2.hpp"

namespace taskflow::edge {

const std::vector<api_version>& api_versions() {
  static const v1::task_mapper_v1 tasks_v1;
  static const v2::task_mapper_v2 tasks_v2;
  static const std::vector<api_version> all{
      {1, &tasks_v1, openapi_v1()},
      {2, &tasks_v2, openapi_v2()},
  };
  return all;
}

std::vector<int> supported_api_versions() {
  std::vector<int> out;
  for (const auto& v : api_versions())
    out.push_back(v.number);
  return out;
}

}  // namespace taskflow::edge
