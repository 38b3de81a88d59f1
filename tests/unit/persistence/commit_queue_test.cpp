// Group commit without a database: submitting never waits, commits queued
// during a write form the next batch, one failed commit fails alone, and
// every commit is answered, also when the queue stops.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "persistence/batching/commit_queue.hpp"

using namespace taskflow;
using namespace taskflow::persistence;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<const ports::task_commit> commit_of(const std::string& title) {
  auto commit = std::make_shared<ports::task_commit>();
  commit->next.snapshot.set_title(title);
  return commit;
}

// Holds the writer inside its first batch until opened.
struct gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  bool entered = false;

  void wait_inside() {
    std::unique_lock lock{mutex};
    entered = true;
    cv.notify_all();
    cv.wait(lock, [this] { return open; });
  }
  void wait_until_entered() {
    std::unique_lock lock{mutex};
    REQUIRE(cv.wait_for(lock, 5s, [this] { return entered; }));
  }
  void release() {
    std::lock_guard lock{mutex};
    open = true;
    cv.notify_all();
  }
};

// Outcomes by title, as the done callbacks report them.
struct outcomes {
  std::mutex mutex;
  std::condition_variable cv;
  std::map<std::string, caf::expected<void>> by_title;

  ports::commit_done for_commit(std::string title) {
    return [this, title](caf::expected<void> outcome) {
      std::lock_guard lock{mutex};
      by_title.emplace(title, std::move(outcome));
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t n) {
    std::unique_lock lock{mutex};
    return cv.wait_for(lock, 5s, [&] { return by_title.size() >= n; });
  }
  std::size_t count() {
    std::lock_guard lock{mutex};
    return by_title.size();
  }
};

caf::error store_down() {
  return ports::make_error(ports::store_errc::unavailable, "batch failed");
}

}  // namespace

TEST_CASE("submitting returns before the write; commits queued meanwhile form the next batch", "[commit_queue]") {
  gate first_batch;
  std::mutex sizes_mutex;
  std::vector<std::size_t> sizes;
  outcomes seen;
  {
    commit_queue queue{1,
                       64,
                       100,
                       [&](std::vector<queued_commit>& batch) {
                         {
                           std::lock_guard lock{sizes_mutex};
                           sizes.push_back(batch.size());
                         }
                         if (sizes.size() == 1)
                           first_batch.wait_inside();
                         for (auto& entry : batch)
                           if (entry.commit->next.snapshot.title() == "refused")
                             entry.result = ports::make_error(ports::store_errc::conflict, "version moved");
                       },
                       store_down,
                       {}};
    queue.submit(commit_of("first"), seen.for_commit("first"));
    first_batch.wait_until_entered();
    for (const auto* title : {"a", "refused", "c"})
      queue.submit(commit_of(title), seen.for_commit(title));
    CHECK(seen.count() == 0);
    first_batch.release();
    REQUIRE(seen.wait_for(4));
  }
  CHECK(sizes == std::vector<std::size_t>{1, 3});
  CHECK(seen.by_title.at("first"));
  CHECK(seen.by_title.at("a"));
  CHECK(seen.by_title.at("c"));
  REQUIRE_FALSE(seen.by_title.at("refused"));
  CHECK(ports::is(seen.by_title.at("refused").error(), ports::store_errc::conflict));
}

TEST_CASE("a batch writer that throws fails each commit of its batch with the store's error", "[commit_queue]") {
  outcomes seen;
  {
    commit_queue queue{
        1, 64, 100, [](std::vector<queued_commit>&) { throw std::runtime_error("connection lost"); }, store_down, {}};
    queue.submit(commit_of("x"), seen.for_commit("x"));
    REQUIRE(seen.wait_for(1));
  }
  REQUIRE_FALSE(seen.by_title.at("x"));
  CHECK(ports::is(seen.by_title.at("x").error(), ports::store_errc::unavailable));
}

TEST_CASE("a queue that stops writes what was queued, and every commit is answered", "[commit_queue]") {
  gate first_batch;
  outcomes seen;
  std::atomic<int> written{0};
  auto queue = std::make_unique<commit_queue>(
      1, 2, 100,
      [&](std::vector<queued_commit>& batch) {
        if (written == 0)
          first_batch.wait_inside();
        written += static_cast<int>(batch.size());
      },
      store_down, commit_observer{});
  queue->submit(commit_of("held"), seen.for_commit("held"));
  first_batch.wait_until_entered();
  for (int i = 0; i < 5; ++i)
    queue->submit(commit_of("queued " + std::to_string(i)), seen.for_commit("queued " + std::to_string(i)));
  auto stopped = std::async(std::launch::async, [&] { queue.reset(); });
  first_batch.release();
  stopped.get();
  CHECK(seen.count() == 6);
  CHECK(written == 6);
}

TEST_CASE("a full queue refuses a commit at once instead of growing", "[commit_queue]") {
  gate first_batch;
  outcomes seen;
  {
    commit_queue queue{1, 64, 2, [&](std::vector<queued_commit>&) { first_batch.wait_inside(); }, store_down, {}};
    queue.submit(commit_of("held"), seen.for_commit("held"));
    first_batch.wait_until_entered();
    queue.submit(commit_of("waits 1"), seen.for_commit("waits 1"));
    queue.submit(commit_of("waits 2"), seen.for_commit("waits 2"));
    queue.submit(commit_of("refused"), seen.for_commit("refused"));
    REQUIRE(seen.wait_for(1));
    REQUIRE(seen.by_title.count("refused") == 1);
    CHECK(ports::is(seen.by_title.at("refused").error(), ports::store_errc::unavailable));
    first_batch.release();
    REQUIRE(seen.wait_for(4));
  }
  CHECK(seen.by_title.at("held"));
  CHECK(seen.by_title.at("waits 2"));
}
