// The one way to build a domain error: every aggregate, gateway and the edge
// answer in this shape, so none of them borrows another's helper.
#pragma once

#include <string>

#include "messages/common/error.pb.h"
#include "messages/common/field_errors.hpp"

namespace taskflow::messages {

Error make_error(ErrorCode code, std::string detail);

// A validation error carrying one entry per offending field.
Error validation_error(std::string detail, field_errors errors);

}  // namespace taskflow::messages
