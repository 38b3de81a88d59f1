// What the store adapters' connection pools promise under concurrency,
// beyond the contract: a connection goes back to its pool with no read left
// open, so the next writer on it is never refused.
#include <catch2/catch.hpp>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/persistence/store_adapters.hpp"

using namespace taskflow;
using testing::commit_for;
using testing::create;
using testing::create_cmd;
using testing::new_id;

TEST_CASE("reads that stop after one row do not block later writes", "[store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      std::vector<std::string> ids;
      for (int i = 0; i < 8; ++i) {
        ids.push_back(new_id());
        create(a, ids.back());
      }
      // Interleave single-row reads with writes from several threads, the
      // pattern of many task actors sharing a connection pool.
      // Commits are built here: Catch2 assertions belong on the main thread.
      std::vector<std::vector<ports::task_commit>> commits(4);
      for (auto& mine : commits)
        for (int round = 0; round < 25; ++round) {
          task::task_state fresh;
          fresh.snapshot.set_id(new_id());
          mine.push_back(commit_for(fresh, create_cmd(fresh.snapshot.id()), 1000));
        }
      std::mutex errors_mutex;
      std::vector<std::string> errors;
      auto failed = [&](const std::string& what, const caf::error& e) {
        std::lock_guard lock{errors_mutex};
        errors.push_back(what + ": " + ports::error_detail(e));
      };
      std::vector<std::thread> workers;
      for (int w = 0; w < 4; ++w)
        workers.emplace_back([&, w] {
          for (int round = 0; round < 25; ++round) {
            const auto& id = ids[(w + round) % ids.size()];
            if (auto loaded = a.tasks->load_task(id); !loaded)
              failed("load", loaded.error());
            if (auto unsent = a.outbox->fetch_unsent(1); !unsent)
              failed("fetch", unsent.error());
            if (auto written = testing::commit_and_wait(*a.tasks, commits[w][round]); !written)
              failed("commit", written.error());
          }
        });
      for (auto& t : workers)
        t.join();
      CAPTURE(errors);
      CHECK(errors.empty());
    }
  }
}
