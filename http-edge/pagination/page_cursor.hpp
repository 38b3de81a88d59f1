// Opaque cursors for keyset-paged lists (v2 `next_cursor`). A cursor names
// the last task of a page, (created_at, id), and the filter of the list it
// continues, in base64url.
//
// Integrity without a secret: a SHA-256 checksum over the payload, plus
// strict decoding (exact length, one spelling, a known format byte, a tag of
// the filter). A per-node random key would make cursors fail on every other
// edge; a shared key would need distribution for no gain, because a cursor
// grants nothing: visibility is enforced on every page, and a hand-made but
// well-formed cursor can only choose where a page starts. What the checksum
// buys is that an edited or truncated cursor is refused with 400 instead of
// silently paging from somewhere else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "messages/task/task_replies.pb.h"

namespace taskflow::edge {

// The filter a task list's cursors are tagged with: a cursor continues only
// the list it came from (same status and assignee), whichever API wrote it.
std::string task_list_filter(const messages::ListTasksQuery& query);

std::string encode_page_cursor(const messages::TaskListPosition& after, std::string_view filter);

// nullopt for anything encode_page_cursor did not produce for this filter.
std::optional<messages::TaskListPosition> decode_page_cursor(std::string_view cursor, std::string_view filter);

}  // namespace taskflow::edge
