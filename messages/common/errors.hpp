// The one way to build a domain error: every aggregate, gateway and the edge
// answer in this shape, so none of them borrows another's helper.
#pragma once

#include <string>

#include "messages/common/error.pb.h"

namespace taskflow::messages {

Error make_error(ErrorCode code, std::string detail);

}  // namespace taskflow::messages
