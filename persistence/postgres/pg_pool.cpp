#include "persistence/postgres/pg_pool.hpp"

#include <algorithm>
#include <vector>

#include <pqxx/except>

#include "actors/ports/thread_role.hpp"

namespace taskflow::persistence {

pg_pool::pg_pool(std::string conninfo, std::size_t size, std::chrono::milliseconds wait_timeout, setup_fn setup)
    : conninfo_(std::move(conninfo)), wait_timeout_(wait_timeout), setup_(std::move(setup)) {
  connections_.resize(std::max<std::size_t>(size, 1));
  for (std::size_t i = connections_.size(); i > 0; --i)
    idle_.push_back(i - 1);
}

pg_pool::lease::~lease() {
  if (owner_)
    owner_->release(slot_, discarded_);
}

std::unique_ptr<pqxx::connection> pg_pool::open_unpooled() const {
  auto conn = std::make_unique<pqxx::connection>(conninfo_);
  if (setup_)
    setup_(*conn);
  return conn;
}

pg_pool::lease pg_pool::acquire() {
  ports::expect_blocking_allowed("PostgreSQL");
  std::size_t slot = 0;
  {
    std::unique_lock lock{mutex_};
    if (!free_cv_.wait_for(lock, wait_timeout_, [this] { return !idle_.empty(); }))
      throw pool_exhausted{"no PostgreSQL connection free within " + std::to_string(wait_timeout_.count()) + " ms"};
    slot = idle_.back();
    idle_.pop_back();
  }
  lease borrowed{*this, slot};
  // Opening happens outside the lock: a slow connect must not stall the
  // borrowers of healthy connections.
  auto& conn = connections_[slot];
  if (conn && !conn->is_open())
    conn.reset();
  if (!conn) {
    try {
      conn = open_unpooled();
    } catch (...) {
      conn.reset();
      throw;
    }
  }
  return borrowed;
}

std::size_t pg_pool::warm() {
  // Held together, so that each acquire takes another slot.
  std::vector<lease> held;
  held.reserve(connections_.size());
  for (std::size_t i = 0; i < connections_.size(); ++i) {
    try {
      held.push_back(acquire());
    } catch (const pqxx::broken_connection&) {
      // The next borrower tries again, within its own deadline.
    }
  }
  return held.size();
}

void pg_pool::release(std::size_t slot, bool discard) {
  if (discard)
    connections_[slot].reset();
  {
    std::lock_guard lock{mutex_};
    idle_.push_back(slot);
  }
  free_cv_.notify_one();
}

std::string with_connect_timeout(const std::string& conninfo, std::chrono::milliseconds timeout) {
  if (conninfo.find("connect_timeout") != std::string::npos)
    return conninfo;
  // libpq counts whole seconds and treats anything below 2 as 2.
  auto seconds = std::to_string(std::max<long long>(2, (timeout.count() + 999) / 1000));
  bool is_url = conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
  if (!is_url)
    return conninfo + " connect_timeout=" + seconds;
  return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=" + seconds;
}

}  // namespace taskflow::persistence
