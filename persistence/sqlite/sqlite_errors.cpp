#include "persistence/sqlite/sqlite_errors.hpp"

#include "actors/ports/store_error.hpp"
#include "persistence/sqlite/sqlite_db.hpp"

namespace taskflow::persistence {

caf::error to_store_error(const sqlite_error& e) {
  if (e.is_busy())
    return ports::make_error(ports::store_errc::timeout, e.what());
  return ports::make_error(ports::store_errc::unavailable, e.what());
}

}  // namespace taskflow::persistence
