#include "http-edge/middleware/media_type.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace taskflow::edge {
namespace {

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

bool is_media_type(std::string_view content_type, std::initializer_list<std::string_view> accepted) {
  auto semi = content_type.find(';');
  auto essence = lower_trimmed(content_type.substr(0, semi));
  if (std::find(accepted.begin(), accepted.end(), essence) == accepted.end())
    return false;
  while (semi != std::string_view::npos) {
    auto rest = content_type.substr(semi + 1);
    semi = rest.find(';');
    auto param = lower_trimmed(rest.substr(0, semi));
    if (param.rfind("charset=", 0) == 0) {
      auto charset = param.substr(8);
      charset.erase(std::remove(charset.begin(), charset.end(), '"'), charset.end());
      if (charset != "utf-8" && charset != "utf8")
        return false;
    }
    content_type = rest;
  }
  return true;
}

}  // namespace taskflow::edge
