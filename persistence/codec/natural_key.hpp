// A task row's natural key columns (ext_source, ext_id): its external
// reference, unique per owner among live tasks. A deleted task, or one
// without a reference, holds none: both columns are NULL, which frees the
// key for another task. The same for every SQL adapter.
#pragma once

#include <optional>
#include <string>

#include "actors/task/task_state.hpp"

namespace taskflow::persistence {

std::optional<std::string> natural_key_source(const task::task_state& state);
std::optional<std::string> natural_key_id(const task::task_state& state);

}  // namespace taskflow::persistence
