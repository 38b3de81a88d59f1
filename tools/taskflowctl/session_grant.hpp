// The sessions API as taskflowctl uses it: sign in, rotate the refresh token,
// and turn a grant into the session it keeps (see credentials_file.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "tools/taskflowctl/admin_client.hpp"
#include "tools/taskflowctl/credentials_file.hpp"

namespace taskflow::ctl {

// Refreshed this long before the access token expires, so a command never
// starts with a token that lapses on its way.
inline constexpr std::int64_t refresh_margin_s = 5;

std::variant<reply, transport_error> open_session(const admin_client& client, const std::string& email,
                                                  const std::string& password);
std::variant<reply, transport_error> refresh_session(const admin_client& client, const std::string& refresh_token);

// The session a grant describes; nothing when it is not a grant.
std::optional<saved_session> session_from_grant(const std::string& url, const nlohmann::json& grant,
                                                std::int64_t now_s);

// The access token of the session `login` kept for `url`: refreshed first
// (and the file rewritten) when it is about to expire. Empty when there is
// none, or when the server no longer refreshes it (the file is removed then).
std::string saved_access_token(const admin_client& client, const std::string& url, std::int64_t now_s);

}  // namespace taskflow::ctl
