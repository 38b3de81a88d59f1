#include "persistence/codec/natural_key.hpp"

namespace taskflow::persistence {

std::optional<std::string> natural_key_source(const task::task_state& state) {
  if (state.deleted || !state.snapshot.has_external_ref())
    return std::nullopt;
  return state.snapshot.external_ref().source();
}

std::optional<std::string> natural_key_id(const task::task_state& state) {
  if (state.deleted || !state.snapshot.has_external_ref())
    return std::nullopt;
  return state.snapshot.external_ref().id();
}

}  // namespace taskflow::persistence
