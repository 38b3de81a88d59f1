// How identity rows are encoded, the same for every SQL adapter: a session's
// refresh-token hashes as a small JSON object, scopes as a space-separated
// list, and until when a revoked session's access tokens must be refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/session/session_state.hpp"

namespace taskflow::persistence {

std::string encode_session_secrets(const session::session_state& state);
caf::expected<void> decode_session_secrets(const std::string& text, session::session_state& state);

std::optional<std::int64_t> revoke_until(const session::session_state& state);

// The api_keys columns, in the order both adapters read a key's row.
inline constexpr const char* api_key_columns =
    "id, user_id, name, prefix, key_hash, scopes, created_at_ms, revoked_at_ms";

std::string join_scopes(const std::vector<std::string>& scopes);
std::vector<std::string> split_scopes(const std::string& text);

}  // namespace taskflow::persistence
