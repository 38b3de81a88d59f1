// Where `taskflowctl login` keeps its session between runs: a JSON file only
// its owner can read (0600, in a 0700 directory), at $TASKFLOW_CREDENTIALS,
// else $XDG_CONFIG_HOME/taskflow/credentials.json, else
// ~/.config/taskflow/credentials.json. It holds the refresh token, so it is
// written whole to a temporary file and renamed into place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace taskflow::ctl {

struct saved_session {
  std::string url;  // the node it was opened on
  std::string access_token;
  std::int64_t access_expires_at_s = 0;
  std::string refresh_token;
};

std::filesystem::path credentials_path();

// Nothing when there is no file, or it does not parse.
std::optional<saved_session> load_session(const std::filesystem::path& file);
// An error message, or nothing once the file is in place.
std::optional<std::string> save_session(const std::filesystem::path& file, const saved_session& session);
void forget_session(const std::filesystem::path& file);

}  // namespace taskflow::ctl
