// A fixed-size pool of libpqxx connections. Connections open lazily and are
// dropped when found broken, so the pool heals itself after PostgreSQL
// restarts. Every connection gets the same session settings and prepared
// statements. Libpqxx exceptions pass through; the store converts them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/connection>

namespace taskflow::persistence {

class pg_pool {
public:
  // Runs on each new connection: session settings, prepared statements.
  using setup_fn = std::function<void(pqxx::connection&)>;

  pg_pool(std::string conninfo, std::size_t size, std::chrono::milliseconds wait_timeout, setup_fn setup);

  // A borrowed connection; back to the pool on destruction, or closed if the
  // borrower saw it break.
  class lease {
  public:
    lease(pg_pool& owner, std::size_t slot) : owner_(&owner), slot_(slot) {}
    lease(lease&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)), slot_(other.slot_) {}
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    lease& operator=(lease&&) = delete;
    ~lease();
    pqxx::connection& operator*() const { return *owner_->connections_[slot_]; }
    pqxx::connection* operator->() const { return owner_->connections_[slot_].get(); }
    // The connection is unusable; close it so the next borrower reconnects.
    void discard() { discarded_ = true; }

  private:
    pg_pool* owner_;
    std::size_t slot_;
    bool discarded_ = false;
  };

  // Throws pqxx::broken_connection when no connection can be opened, and
  // pool_exhausted when none is free within the wait timeout.
  lease acquire();

  // Runs fn(connection&) on a borrowed connection; a connection that broke
  // during the call is discarded before the exception propagates.
  template <typename Fn>
  auto run(Fn&& fn) {
    auto conn = acquire();
    try {
      return fn(*conn);
    } catch (const pqxx::broken_connection&) {
      conn.discard();
      throw;
    }
  }

  // Opens every connection not open yet, at start-up, so that the first
  // requests do not each pay for a connect (on a loaded machine a fork of a
  // PostgreSQL backend can take longer than a request may wait). One that
  // fails to open is left to the next borrower; returns how many are open.
  std::size_t warm();

  // A fresh connection outside the pool, for one-off work (migrations).
  std::unique_ptr<pqxx::connection> open_unpooled() const;

  struct pool_exhausted : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

private:
  void release(std::size_t slot, bool discard);

  std::string conninfo_;
  std::chrono::milliseconds wait_timeout_;
  setup_fn setup_;
  std::mutex mutex_;
  std::condition_variable free_cv_;
  std::vector<std::unique_ptr<pqxx::connection>> connections_;
  std::vector<std::size_t> idle_;
};

// Adds connect_timeout (seconds, libpq's unit) to a URL or key=value
// connection string unless the caller already set one.
std::string with_connect_timeout(const std::string& conninfo, std::chrono::milliseconds timeout);

}  // namespace taskflow::persistence
