#include "runtime/observability/build_info.hpp"

#include "runtime/build_version.hpp"

namespace taskflow::runtime {

std::string_view version() {
  return TASKFLOW_VERSION;
}

}  // namespace taskflow::runtime
