#include "tools/taskflowctl/credentials_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace taskflow::ctl {

std::filesystem::path credentials_path() {
  if (const char* file = std::getenv("TASKFLOW_CREDENTIALS"); file && *file)
    return file;
  if (const char* config = std::getenv("XDG_CONFIG_HOME"); config && *config)
    return std::filesystem::path{config} / "taskflow" / "credentials.json";
  const char* home = std::getenv("HOME");
  return std::filesystem::path{home && *home ? home : "."} / ".config" / "taskflow" / "credentials.json";
}

std::optional<saved_session> load_session(const std::filesystem::path& file) {
  std::ifstream in{file};
  if (!in)
    return std::nullopt;
  auto parsed = nlohmann::json::parse(std::istreambuf_iterator<char>{in}, {}, nullptr, false);
  if (!parsed.is_object())
    return std::nullopt;
  saved_session out;
  out.url = parsed.value("url", "");
  out.access_token = parsed.value("access_token", "");
  out.access_expires_at_s = parsed.value("access_expires_at_s", std::int64_t{0});
  out.refresh_token = parsed.value("refresh_token", "");
  if (out.refresh_token.empty())
    return std::nullopt;
  return out;
}

std::optional<std::string> save_session(const std::filesystem::path& file, const saved_session& session) {
  std::error_code ec;
  auto dir = file.parent_path();
  if (!dir.empty()) {
    std::filesystem::create_directories(dir, ec);
    if (ec)
      return "cannot create " + dir.string() + ": " + ec.message();
    if (dir.filename() == "taskflow")
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  nlohmann::json body{{"url", session.url},
                      {"access_token", session.access_token},
                      {"access_expires_at_s", session.access_expires_at_s},
                      {"refresh_token", session.refresh_token}};
  auto text = body.dump(2) + "\n";
  auto temporary = file;
  temporary += ".tmp";
  // Created 0600 from the start, so the token is never readable by others,
  // not even between open and chmod.
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    if (fd >= 0)
      ::close(fd);
    return "cannot write " + temporary.string() + ": " + std::strerror(errno);
  }
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), file.c_str()) != 0) {
    std::filesystem::remove(temporary, ec);
    return "cannot write " + file.string() + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

void forget_session(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::remove(file, ec);
}

}  // namespace taskflow::ctl
