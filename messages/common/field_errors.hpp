// Builds the per-field entries of a validation error; the domain and the edge
// both report through it so every field error reads the same.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "messages/common/error.pb.h"

namespace taskflow::messages {

using field_errors = std::vector<FieldError>;

inline void add_field_error(field_errors& errors, std::string field, std::string message) {
  FieldError e;
  e.set_field(std::move(field));
  e.set_message(std::move(message));
  errors.push_back(std::move(e));
}

}  // namespace taskflow::messages
