// The I/O model of aggregate actors: one command at a time per aggregate
// and concurrently across aggregates, with commits in flight on the store's
// threads; a full pool refuses at once; an orderly exit answers the command
// whose commit is running.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <caf/scoped_actor.hpp>

#include "actors/task/task_actor.hpp"
#include "runtime/atoms.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "tests/unit/support/memory_task_store.hpp"
#include "tests/unit/support/task_ids.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

using testing::owner;
using testing::task_id;

// Counts commits in flight. Each commit waits on a thread of its own, as on
// a store's committer, for up to `wait_for_company` until a second one is in
// flight too, so commits that could overlap do.
class overlap_store final : public ports::task_store {
public:
  explicit overlap_store(std::chrono::milliseconds wait_for_company) : wait_(wait_for_company) {}

  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override {
    return inner.load_task(id);
  }

  void commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) override {
    std::lock_guard lock{threads_mutex_};
    committers_.emplace_back([this, commit = std::move(commit), done = std::move(done)] {
      {
        std::unique_lock lock{mutex_};
        ++in_flight_;
        max_in_flight = std::max(max_in_flight.load(), in_flight_);
        changed_.notify_all();
        changed_.wait_for(lock, wait_, [this] { return in_flight_ >= 2 || released_; });
      }
      caf::expected<void> written = caf::unit;
      inner.commit(commit, [&written](caf::expected<void> outcome) { written = std::move(outcome); });
      {
        std::lock_guard lock{mutex_};
        --in_flight_;
      }
      done(std::move(written));
    });
  }

  // Before the actor system goes: a committer holds its actor's handle.
  void join() {
    std::lock_guard lock{threads_mutex_};
    for (auto& t : committers_)
      t.join();
    committers_.clear();
  }

  // Lets every waiting and later commit go on at once.
  void release() {
    std::lock_guard lock{mutex_};
    released_ = true;
    changed_.notify_all();
  }

  testing::memory_task_store inner;
  std::atomic<int> max_in_flight{0};

private:
  std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int in_flight_ = 0;
  bool released_ = false;
  std::mutex threads_mutex_;
  std::vector<std::thread> committers_;
};

messages::TaskCommand create(int n) {
  messages::TaskCommand cmd;
  cmd.set_task_id(task_id(n));
  cmd.mutable_principal()->set_id(owner);
  cmd.mutable_create()->set_title("task " + std::to_string(n));
  return cmd;
}

messages::TaskCommand rename(int n, const std::string& title) {
  messages::TaskCommand cmd;
  cmd.set_task_id(task_id(n));
  cmd.mutable_principal()->set_id(owner);
  cmd.mutable_update()->set_title(title);
  return cmd;
}

struct pool_fixture {
  explicit pool_fixture(std::chrono::milliseconds wait_for_company, std::size_t threads = 2)
      : pool(threads, 100), store(std::make_shared<overlap_store>(wait_for_company)) {}
  ~pool_fixture() { store->join(); }

  caf::actor spawn_task(int n) {
    auto deps = std::make_shared<const task::task_actor_deps>(
        task::task_actor_deps{store, &pool, [] { return std::int64_t{1000}; }, nullptr, nullptr});
    return sys.spawn(task::task_actor, task_id(n), deps);
  }

  // Sends every command at once, from one sender, and collects the replies
  // in sending order.
  std::vector<messages::TaskReply> ask_all(std::vector<std::pair<caf::actor, messages::TaskCommand>> sends) {
    struct batch {
      std::vector<std::pair<caf::actor, messages::TaskCommand>> sends;
      std::vector<messages::TaskReply> replies;
      std::size_t left = 0;
      std::promise<std::vector<messages::TaskReply>> done;
    };
    auto b = std::make_shared<batch>();
    b->replies.resize(sends.size());
    b->left = sends.size();
    b->sends = std::move(sends);
    auto result = b->done.get_future();
    // The batch is a spawn argument: CAF 0.17 dereferences a null argument
    // tuple when a function actor is spawned without arguments.
    sys.spawn(
        [](caf::event_based_actor* self, std::shared_ptr<batch> b) {
          auto finish_one = [self, b] {
            if (--b->left == 0) {
              b->done.set_value(std::move(b->replies));
              self->quit();
            }
          };
          for (std::size_t i = 0; i < b->sends.size(); ++i)
            self->request(b->sends[i].first, 10s, b->sends[i].second)
                .then(
                    [b, i, finish_one](messages::TaskReply& r) {
                      b->replies[i] = std::move(r);
                      finish_one();
                    },
                    [b, i, finish_one](caf::error& e) {
                      b->replies[i].mutable_error()->set_detail(caf::to_string(e));
                      finish_one();
                    });
        },
        b);
    return result.get();
  }

  // Outlives the actor system: actors that stop wait for their jobs.
  runtime::blocking_pool pool;
  std::shared_ptr<overlap_store> store;
  testing::test_config cfg;
  caf::actor_system sys{cfg};
};

}  // namespace

TEST_CASE("one task's commands reach the store one at a time, in the order sent", "[store_pool]") {
  pool_fixture f{200ms};
  auto task = f.spawn_task(1);
  std::vector<std::pair<caf::actor, messages::TaskCommand>> sends{{task, create(1)}};
  for (int i = 1; i <= 4; ++i)
    sends.emplace_back(task, rename(1, "title " + std::to_string(i)));
  auto replies = f.ask_all(sends);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    INFO(i << ": " << replies[i].DebugString());
    REQUIRE(replies[i].has_task());
    CHECK(replies[i].task().version() == static_cast<std::int64_t>(i) + 1);
  }
  CHECK(replies.back().task().title() == "title 4");
  CHECK(f.store->max_in_flight == 1);
  caf::anon_send_exit(task, caf::exit_reason::user_shutdown);
}

TEST_CASE("different tasks commit at the same time", "[store_pool]") {
  pool_fixture f{5s};
  auto a = f.spawn_task(1);
  auto b = f.spawn_task(2);
  auto replies = f.ask_all({{a, create(1)}, {b, create(2)}});
  CHECK(replies[0].has_task());
  CHECK(replies[1].has_task());
  CHECK(f.store->max_in_flight == 2);
  for (const auto& t : {a, b})
    caf::anon_send_exit(t, caf::exit_reason::user_shutdown);
}

TEST_CASE("a full store pool answers unavailable at once instead of queueing", "[store_pool]") {
  runtime::blocking_pool pool{1, 1};
  std::mutex mutex;
  std::condition_variable cv;
  bool go = false;
  auto blocker = [&] {
    std::unique_lock lock{mutex};
    cv.wait(lock, [&] { return go; });
  };
  REQUIRE(pool.post(blocker));                                     // running (or about to)
  REQUIRE(testing::eventually([&] { return pool.post([] {}); }));  // queued once the thread took the blocker
  CHECK_FALSE(pool.post([] {}));
  {
    std::lock_guard lock{mutex};
    go = true;
  }
  cv.notify_all();
}

TEST_CASE("a task passivated while its commit runs still answers the command", "[store_pool]") {
  pool_fixture f{30s, 1};
  auto task = f.spawn_task(1);
  auto replies = std::async(std::launch::async, [&] { return f.ask_all({{task, create(1)}}); });
  // The commit is now waiting in the store; an orderly exit arrives.
  REQUIRE(testing::eventually([&] { return f.store->max_in_flight == 1; }));
  caf::scoped_actor self{f.sys};
  self->monitor(task);
  caf::anon_send_exit(task, caf::exit_reason::user_shutdown);
  f.store->release();
  auto reply = replies.get().front();
  self->receive([](caf::down_msg&) {});
  INFO(reply.DebugString());
  CHECK(reply.has_task());
  CHECK(f.store->inner.commits == 1);
}
