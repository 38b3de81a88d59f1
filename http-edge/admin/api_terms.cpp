#include "http-edge/admin/api_terms.hpp"

#include <string_view>

#include "http-edge/v2/task_json_v2.hpp"
#include "messages/task/task_status_names.hpp"
#include "messages/time/rfc3339.hpp"

namespace taskflow::edge {
namespace {

using nlohmann::json;

// A point in time's name without its unit, or empty for any other field.
std::string time_name(std::string_view key) {
  for (std::string_view suffix : {"_at_ms", "_until_ms"})
    if (key.size() > suffix.size() && key.substr(key.size() - suffix.size()) == suffix)
      return std::string{key.substr(0, key.size() - 3)};
  return {};
}

// Task statuses appear as the status itself and as a status change's ends;
// keyed by field, so a title that happens to read "TASK_STATUS_DONE" stays.
bool is_status_field(std::string_view key) {
  return key == "status" || key == "from" || key == "to";
}

json field_value(std::string_view key, const json& value) {
  messages::TaskStatus status{};
  if (value.is_string() && is_status_field(key) && messages::TaskStatus_Parse(value.get<std::string>(), &status))
    return std::string{messages::status_name(status)};
  if (key == "priority" && value.is_number_integer())
    return std::string{v2::priority_name(value.get<int>())};
  return in_api_terms(value);
}

}  // namespace

json in_api_terms(const json& runtime_json) {
  if (runtime_json.is_array()) {
    auto out = json::array();
    for (const auto& item : runtime_json)
      out.push_back(in_api_terms(item));
    return out;
  }
  if (!runtime_json.is_object())
    return runtime_json;
  auto out = json::object();
  for (const auto& [key, value] : runtime_json.items()) {
    if (auto name = time_name(key); !name.empty() && value.is_number_integer()) {
      auto ms = value.get<std::int64_t>();
      out[name] = ms > 0 ? json(clock::format_rfc3339(ms)) : json(nullptr);
      continue;
    }
    out[key] = field_value(key, value);
  }
  return out;
}

}  // namespace taskflow::edge
