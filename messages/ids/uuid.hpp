// UUID strings as the wire uses them: ids of tasks, users, sessions and events.
// Version 7 (RFC 9562) ids sort by creation time, which keeps event tables and
// "newest first" lists index-friendly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace taskflow::ids {

// A new random UUIDv7 in canonical lower-case form.
std::string new_uuid_v7();

// True for a canonical 36-character UUID of any version.
bool is_uuid(std::string_view text);

// Milliseconds since the epoch encoded in a UUIDv7; 0 for other versions.
std::int64_t uuid_v7_millis(std::string_view text);

// The name-based UUIDv5 (RFC 9562 §5.5) of `name` within `namespace_id`, a
// canonical UUID: the same inputs always give the same id, so what is derived
// twice from one cause is recognised as one.
std::string uuid_v5(std::string_view namespace_id, std::string_view name);

}  // namespace taskflow::ids
