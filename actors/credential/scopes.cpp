#include "actors/credential/scopes.hpp"

#include <algorithm>

namespace taskflow::credential {

const std::vector<std::string>& all_scopes() {
  static const std::vector<std::string> scopes{"tasks:read", "tasks:write"};
  return scopes;
}

bool is_known_scope(const std::string& scope) {
  const auto& all = all_scopes();
  return std::find(all.begin(), all.end(), scope) != all.end();
}

}  // namespace taskflow::credential
