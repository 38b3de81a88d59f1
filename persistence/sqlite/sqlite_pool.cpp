#include "persistence/sqlite/sqlite_pool.hpp"

#include <algorithm>
#include <chrono>

#include "persistence/sqlite/sqlite_db.hpp"

namespace taskflow::persistence {

sqlite_pool::lease::lease(sqlite_pool& owner, sqlite_db* db, std::unique_lock<std::mutex> writer)
    : owner_(owner), db_(db), writer_(std::move(writer)) {}

sqlite_pool::lease::~lease() {
  db_->reset_statements();
  {
    std::lock_guard lock{owner_.pool_mutex_};
    owner_.idle_.push_back(db_);
  }
  owner_.pool_cv_.notify_one();
}

sqlite_pool::sqlite_pool(const std::filesystem::path& file, std::size_t connections) {
  for (std::size_t i = 0; i < std::max<std::size_t>(connections, 1); ++i)
    connections_.push_back(std::make_unique<sqlite_db>(file));
  for (auto& db : connections_)
    idle_.push_back(db.get());
  checkpointer_ = std::make_unique<sqlite_db>(file);
  checkpoint_thread_ = std::thread{[this] { checkpoint_loop(); }};
}

sqlite_pool::~sqlite_pool() {
  {
    std::lock_guard lock{stop_mutex_};
    stopping_ = true;
  }
  stop_cv_.notify_all();
  checkpoint_thread_.join();
}

sqlite_pool::lease sqlite_pool::read() {
  return lease{*this, take_idle(), {}};
}

sqlite_pool::lease sqlite_pool::write() {
  std::unique_lock writer{write_mutex_};
  auto* db = take_idle();
  return lease{*this, db, std::move(writer)};
}

sqlite_db* sqlite_pool::take_idle() {
  std::unique_lock lock{pool_mutex_};
  pool_cv_.wait(lock, [this] { return !idle_.empty(); });
  auto* db = idle_.back();
  idle_.pop_back();
  return db;
}

void sqlite_pool::checkpoint_loop() {
  std::unique_lock lock{stop_mutex_};
  while (!stop_cv_.wait_for(lock, std::chrono::seconds{1}, [this] { return stopping_; })) {
    try {
      checkpointer_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (const sqlite_error&) {
      // Busy or transient: the next round (or the autocheckpoint backstop) catches up.
    }
  }
}

}  // namespace taskflow::persistence
