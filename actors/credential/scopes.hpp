// The scopes that exist. A user's own session carries all of them; an API key
// or an OAuth client carries the ones it was given.
#pragma once

#include <string>
#include <vector>

namespace taskflow::credential {

const std::vector<std::string>& all_scopes();
bool is_known_scope(const std::string& scope);

}  // namespace taskflow::credential
