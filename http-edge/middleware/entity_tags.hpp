// ETag, If-Match and If-None-Match (RFC 9110 §8.8.3, §13.1). A task's ETag is
// its version in quotes, e.g. "3".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace taskflow::edge {

std::string etag_for(std::int64_t version);

struct any_version {};          // If-Match: *
struct unmatchable_version {};  // weak, malformed or several tags: nothing can match strongly

// The version an If-Match header demands. Only one strong ETag or "*" can
// be checked atomically by the actor; anything else cannot match.
std::variant<std::int64_t, any_version, unmatchable_version> parse_if_match(std::string_view header);

// True when If-None-Match lists `etag` (weak comparison: W/ is ignored on
// either side) or is "*".
bool if_none_match_names(std::string_view header, std::string_view etag);

// True when If-None-Match lists the current version (weak comparison) or is "*".
bool if_none_match_hits(std::string_view header, std::int64_t current_version);

}  // namespace taskflow::edge
