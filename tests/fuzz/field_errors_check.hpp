// What every body mapper promises about a rejection: at least one error, and
// each names the field and says what is wrong with it.
#pragma once

#include "messages/common/field_errors.hpp"
#include "tests/fuzz/invariant.hpp"

namespace taskflow::fuzz {

inline void expect_explained(const messages::field_errors& errors) {
  expect(!errors.empty(), "a rejection lists at least one field");
  for (const auto& e : errors)
    expect(!e.field().empty() && !e.message().empty(), "every field error names a field and a reason");
}

}  // namespace taskflow::fuzz
