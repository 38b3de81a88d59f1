// A command's reply carrying only an error, for answers the runtime gives in
// the actor's stead (moved, deadline passed, actor gone).
#pragma once

#include <string>

#include "messages/common/errors.hpp"

namespace taskflow::runtime {

template <class Reply>
Reply error_reply(messages::ErrorCode code, std::string detail) {
  Reply reply;
  *reply.mutable_error() = messages::make_error(code, std::move(detail));
  return reply;
}

}  // namespace taskflow::runtime
