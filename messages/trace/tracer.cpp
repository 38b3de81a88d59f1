#include "messages/trace/tracer.hpp"

#include <atomic>
#include <mutex>
#include <vector>

namespace taskflow::trace {
namespace {

std::atomic<tracer*> current{nullptr};

// Every tracer ever installed: a span reads the pointer without a lock, so
// none may be destroyed while the process runs. Nodes install one each.
std::vector<std::shared_ptr<tracer>>& kept() {
  static std::vector<std::shared_ptr<tracer>> all;
  return all;
}

std::mutex kept_mutex;

}  // namespace

void install(std::shared_ptr<tracer> next) {
  std::lock_guard lock{kept_mutex};
  current.store(next.get(), std::memory_order_release);
  if (next)
    kept().push_back(std::move(next));
}

tracer* installed() {
  return current.load(std::memory_order_acquire);
}

}  // namespace taskflow::trace
