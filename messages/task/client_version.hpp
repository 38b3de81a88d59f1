// The version a client sees of a task: its `version` field, its ETag and what
// If-Match and If-None-Match compare with (task.proto says why it is not the
// task's own version).
#pragma once

#include <cstdint>

#include "messages/task/task.pb.h"

namespace taskflow::messages {

inline std::int64_t client_version(const TaskSnapshot& task) {
  // Stored before edit_version existed: every version until then was shown.
  return task.edit_version() > 0 ? task.edit_version() : task.version();
}

}  // namespace taskflow::messages
