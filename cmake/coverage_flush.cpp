// Linked into the taskflow node of the coverage build only
// (cmake/coverage.cmake): writes the node's gcov counts once a second. Tests
// that kill a node on purpose (crash, restart) leave libgcov no exit to write
// them at, so without this every line those nodes ran would count as missed.
// A node killed loses at most its last second; the e2e harness ends the rest
// with SIGTERM in this build, and their exit writes the remainder.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

extern "C" void __gcov_dump();
extern "C" void __gcov_reset();

namespace {

class periodic_flush {
public:
  periodic_flush() : writer_{[this] { run(); }} {}

  // Stops before libgcov's own exit-time write, which runs after every
  // static destructor: two writes of one file at once would corrupt it.
  ~periodic_flush() {
    {
      std::lock_guard lock{mutex_};
      stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
  }

private:
  void run() {
    std::unique_lock lock{mutex_};
    while (!wake_.wait_for(lock, std::chrono::seconds{1}, [this] { return stopping_; })) {
      // Dump merges these counts into the .gcda files; reset zeroes them so
      // the next dump does not add them a second time.
      __gcov_dump();
      __gcov_reset();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread writer_;
};

periodic_flush flush;

}  // namespace
