#include "actors/ports/store_error.hpp"

namespace taskflow::ports {

std::string error_detail(const caf::error& error) {
  const auto& context = error.context();
  if (context.size() == 1 && context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return {};
}

std::string error_text(const caf::error& error) {
  auto detail = error_detail(error);
  return detail.empty() ? caf::to_string(error) : detail;
}

}  // namespace taskflow::ports
