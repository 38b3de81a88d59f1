#include "runtime/observability/build_info.hpp"

namespace taskflow::runtime {

std::string_view version() {
  // Set for this file alone by runtime/CMakeLists.txt, so a version bump
  // recompiles one file.
  return TASKFLOW_VERSION;
}

}  // namespace taskflow::runtime
