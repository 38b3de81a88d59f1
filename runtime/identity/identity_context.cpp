#include "runtime/identity/identity_context.hpp"

#include "messages/common/errors.hpp"

namespace taskflow::runtime {

messages::Error unauthenticated(std::string detail) {
  return messages::make_error(messages::ERROR_CODE_UNAUTHENTICATED, std::move(detail));
}

messages::Error identity_store_unavailable(const caf::error& cause) {
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                              "The identity store is unavailable: " + ports::error_detail(cause));
}

}  // namespace taskflow::runtime
