#include "persistence/codec/header_lines.hpp"

namespace taskflow::persistence {

std::string encode_header_lines(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers)
    out.append(name).append(": ").append(value).append("\n");
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_header_lines(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    auto line = text.substr(start, end - start);
    if (auto colon = line.find(": "); colon != std::string::npos)
      out.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    start = end + 1;
  }
  return out;
}

}  // namespace taskflow::persistence
