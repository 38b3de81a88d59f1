// The strings a request body lists under a field, as a mapper that accepted
// the body must have read them: none when the field is absent or null.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace taskflow::fuzz {

inline std::vector<std::string> sent_strings(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null())
    return {};
  return it->get<std::vector<std::string>>();
}

template <class Repeated>
std::vector<std::string> strings_of(const Repeated& xs) {
  return {xs.begin(), xs.end()};
}

}  // namespace taskflow::fuzz
