// Maps libpqxx exceptions to store_errc values, at the adapter boundary.
#pragma once

#include <exception>

#include <caf/error.hpp>

namespace taskflow::persistence {

// Call inside a catch block: converts the exception in flight.
caf::error pg_current_error();

}  // namespace taskflow::persistence
