// The connections to one SQLite file (WAL) that its port adapters share: a
// few pooled connections, the single-writer lock, and a checkpointer that
// copies the WAL back into the database off the request path.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace taskflow::persistence {

class sqlite_db;

class sqlite_pool {
public:
  // Opens the connections (at least one); throws sqlite_error.
  sqlite_pool(const std::filesystem::path& file, std::size_t connections);
  ~sqlite_pool();
  sqlite_pool(const sqlite_pool&) = delete;
  sqlite_pool& operator=(const sqlite_pool&) = delete;

  // A pooled connection, returned (with its statements reset) on
  // destruction; a writer's also holds the single-writer lock until then.
  class lease {
  public:
    lease(sqlite_pool& owner, sqlite_db* db, std::unique_lock<std::mutex> writer);
    ~lease();
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    sqlite_db& operator*() const { return *db_; }
    sqlite_db* operator->() const { return db_; }

  private:
    sqlite_pool& owner_;
    sqlite_db* db_;
    std::unique_lock<std::mutex> writer_;
  };

  lease read();
  // SQLite has one writer at a time; serializing writers here avoids
  // busy-waiting inside SQLite and keeps write latency predictable.
  lease write();

private:
  sqlite_db* take_idle();
  void checkpoint_loop();

  std::mutex write_mutex_;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<sqlite_db>> connections_;
  std::vector<sqlite_db*> idle_;

  // Once a second, on a connection of its own. A passive checkpoint never
  // blocks readers or the writer.
  std::unique_ptr<sqlite_db> checkpointer_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread checkpoint_thread_;
};

}  // namespace taskflow::persistence
