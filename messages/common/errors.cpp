#include "messages/common/errors.hpp"

#include <utility>

namespace taskflow::messages {

Error make_error(ErrorCode code, std::string detail) {
  Error error;
  error.set_code(code);
  error.set_detail(std::move(detail));
  return error;
}

Error validation_error(std::string detail, field_errors errors) {
  auto error = make_error(ERROR_CODE_VALIDATION, std::move(detail));
  for (auto& e : errors)
    *error.add_field_errors() = std::move(e);
  return error;
}

}  // namespace taskflow::messages
