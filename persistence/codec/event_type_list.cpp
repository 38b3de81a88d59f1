#include "persistence/codec/event_type_list.hpp"

#include <algorithm>

namespace taskflow::persistence {

std::string encode_event_types(const std::vector<std::string>& types) {
  std::string out;
  for (const auto& t : types)
    out.append(out.empty() ? "" : ",").append(t);
  return out;
}

std::vector<std::string> decode_event_types(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    if (!item.empty())
      out.emplace_back(item);
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool lists_event_type(std::string_view text, std::string_view type) {
  auto types = decode_event_types(text);
  return std::find(types.begin(), types.end(), type) != types.end();
}

}  // namespace taskflow::persistence
