// Field limits of the task model. API.md fixes title and description; the
// rest are ours, chosen so one task row stays small, and documented in the
// OpenAPI spec.
#pragma once

#include <cstddef>
#include <cstdint>

#include "messages/time/rfc3339.hpp"

namespace taskflow::task::limits {

inline constexpr std::size_t max_title_chars = 200;
inline constexpr std::size_t max_description_chars = 10'000;
inline constexpr int min_priority = 1;
inline constexpr int max_priority = 4;
inline constexpr int default_priority = 2;
inline constexpr std::size_t max_assignees = 20;
inline constexpr std::size_t max_tags = 20;
inline constexpr std::size_t max_tag_chars = 50;
inline constexpr std::size_t max_external_source_chars = 100;
inline constexpr std::size_t max_external_id_chars = 200;
// 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z, the end of what RFC 3339 can write.
inline constexpr std::int64_t min_due_at_ms = 0;
inline constexpr std::int64_t max_due_at_ms = clock::rfc3339_last_ms;

}  // namespace taskflow::task::limits
