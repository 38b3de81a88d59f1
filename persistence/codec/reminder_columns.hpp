// A task row's reminder mark columns (reminded_kind, reminded_due_at_ms): the
// last reminder committed and the due date it was for. No reminder yet is
// kind 0 and a NULL date. The same for every SQL adapter.
#pragma once

#include <cstdint>
#include <optional>

#include "actors/task/task_state.hpp"

namespace taskflow::persistence {

std::optional<std::int64_t> reminded_due_at_of(const task::task_state& state);

// An unknown kind (a row written by a newer version) reads as none: at worst
// a reminder is told again, never one skipped.
task::reminder_mark reminder_mark_of(std::int64_t kind, std::int64_t due_at_ms);

}  // namespace taskflow::persistence
