#include "persistence/postgres/pg_errors.hpp"

#include <pqxx/except>

#include "actors/ports/store_error.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {

caf::error pg_current_error() {
  using ports::store_errc;
  try {
    throw;
  } catch (const pqxx::unique_violation& e) {
    return ports::make_error(store_errc::duplicate_key, e.what());
  } catch (const pqxx::in_doubt_error& e) {
    return ports::make_error(store_errc::unavailable, std::string{"commit outcome unknown: "} + e.what());
  } catch (const pqxx::broken_connection& e) {
    return ports::make_error(store_errc::unavailable, std::string{"PostgreSQL unreachable: "} + e.what());
  } catch (const pg_pool::pool_exhausted& e) {
    return ports::make_error(store_errc::timeout, e.what());
  } catch (const pqxx::sql_error& e) {
    // 57014: query_canceled, which is how statement_timeout ends a statement.
    if (e.sqlstate() == "57014")
      return ports::make_error(store_errc::timeout, e.what());
    return ports::make_error(store_errc::unavailable, e.what());
  } catch (const std::exception& e) {
    return ports::make_error(store_errc::unavailable, e.what());
  }
}

}  // namespace taskflow::persistence
