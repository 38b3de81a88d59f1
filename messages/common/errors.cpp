#include "messages/common/errors.hpp"

#include <utility>

namespace taskflow::messages {

Error make_error(ErrorCode code, std::string detail) {
  Error error;
  error.set_code(code);
  error.set_detail(std::move(detail));
  return error;
}

}  // namespace taskflow::messages
