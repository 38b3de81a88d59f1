// An in-memory task_store for unit tests of actor logic: the same
// version-fence contract as the real adapters, the committed events as its
// event history, plus knobs to inject failures.
#pragma once

#include <functional>
#include <map>
#include <mutex>

#include "actors/ports/event_history.hpp"
#include "actors/ports/task_store.hpp"

namespace taskflow::testing {

class memory_task_store final : public ports::task_store, public ports::event_history {
public:
  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override {
    std::lock_guard lock{mutex_};
    ++loads;
    auto it = tasks_.find(id);
    if (it == tasks_.end())
      return std::optional<task::task_state>{};
    return std::optional<task::task_state>{it->second};
  }

  // Writes inline and answers before returning; `done` runs outside the
  // lock, because the caller's next step may load from this store.
  void commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) override {
    auto outcome = write(*commit);
    done(std::move(outcome));
  }

  caf::expected<std::vector<messages::EventEnvelope>> recent_events(const std::string& aggregate_type,
                                                                    const std::string& aggregate_id,
                                                                    std::size_t limit) override {
    std::lock_guard lock{mutex_};
    ++history_reads;
    std::vector<messages::EventEnvelope> out;
    for (auto it = events.rbegin(); it != events.rend() && out.size() < limit; ++it)
      if (it->aggregate_type() == aggregate_type && it->aggregate_id() == aggregate_id)
        out.push_back(*it);
    return out;
  }

  // Writes behind the actor's back, as a second activation would.
  void force(const task::task_state& state) {
    std::lock_guard lock{mutex_};
    tasks_[state.snapshot.id()] = state;
  }

  int loads = 0;
  int history_reads = 0;
  int commits = 0;
  int fail_commits = 0;
  std::vector<messages::EventEnvelope> events;
  // Runs inside commit, before the version check; may throw to simulate a crash.
  std::function<void(const ports::task_commit&)> before_commit;

private:
  caf::expected<void> write(const ports::task_commit& commit) {
    std::lock_guard lock{mutex_};
    if (before_commit)
      before_commit(commit);
    if (fail_commits > 0) {
      --fail_commits;
      return ports::make_error(ports::store_errc::unavailable, "injected failure");
    }
    auto& id = commit.next.snapshot.id();
    auto it = tasks_.find(id);
    std::int64_t stored = it == tasks_.end() ? 0 : it->second.snapshot.version();
    if (stored != commit.expected_version)
      return ports::make_error(ports::store_errc::conflict, "version moved");
    tasks_[id] = commit.next;
    for (const auto& e : commit.events)
      events.push_back(e);
    ++commits;
    return caf::unit;
  }

  std::mutex mutex_;
  std::map<std::string, task::task_state> tasks_;
};

}  // namespace taskflow::testing
