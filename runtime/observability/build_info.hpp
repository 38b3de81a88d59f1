// What was built: the version `taskflow --version` and `taskflowctl --version`
// print and the taskflow_build_info metric carries, so an operator can tell
// which build a node runs.
#pragma once

#include <string_view>

namespace taskflow::runtime {

// The project version from CMakeLists.txt.
std::string_view version();

}  // namespace taskflow::runtime
