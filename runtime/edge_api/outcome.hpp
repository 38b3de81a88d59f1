// What every gateway call hands back to the edge: a value, or a domain error
// the edge maps 1:1 to a problem type. One shape for all of them, so an edge
// (HTTP today, gRPC next) handles every answer the same way.
#pragma once

#include <functional>
#include <variant>

#include "messages/common/error.pb.h"

namespace taskflow::runtime {

template <class T>
using outcome = std::variant<T, messages::Error>;

template <class T>
using outcome_handler = std::function<void(outcome<T>)>;

// The error, or nullptr when the call succeeded.
template <class T>
const messages::Error* failed(const outcome<T>& result) {
  return std::get_if<messages::Error>(&result);
}

}  // namespace taskflow::runtime
