// Maps sqlite_error to store_errc values, at the adapters' boundary.
#pragma once

#include <caf/error.hpp>

namespace taskflow::persistence {

class sqlite_error;

// A database still busy after the busy timeout is a timeout, worth a retry;
// anything else leaves the store unavailable.
caf::error to_store_error(const sqlite_error& e);

}  // namespace taskflow::persistence
