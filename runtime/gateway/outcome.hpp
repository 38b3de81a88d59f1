// What a gateway call hands back to the edge: a value, or a domain error the
// edge maps 1:1 to a problem type.
#pragma once

#include <functional>
#include <variant>

#include "messages/common/error.pb.h"

namespace taskflow::runtime {

template <class T>
using outcome = std::variant<T, messages::Error>;

template <class T>
using outcome_handler = std::function<void(outcome<T>)>;

}  // namespace taskflow::runtime
