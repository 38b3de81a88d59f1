#include "runtime/sharding/activation_table.hpp"

#include <utility>

namespace taskflow::runtime {

activation_factory activation_table(std::map<std::string, spawner> kinds) {
  return [kinds = std::move(kinds)](caf::local_actor* host, const std::string& key) -> caf::actor {
    auto slash = key.find('/');
    if (slash == std::string::npos)
      return {};
    auto kind = kinds.find(key.substr(0, slash));
    if (kind == kinds.end())
      return {};
    return kind->second(host, key.substr(slash + 1));
  };
}

}  // namespace taskflow::runtime
