// Task commits for the store contracts, built the way a task actor builds
// them: decide, then apply each event to the state it read.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <future>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "actors/ports/task_store.hpp"
#include "actors/task/task_decider.hpp"

namespace taskflow::testing {

// A fresh id for a task or an event. Atomic: the concurrency cases mint ids
// on several threads.
inline std::string new_id() {
  static std::atomic<int> counter{0};
  char buf[40];
  std::snprintf(buf, sizeof buf, "01a20f1d-e9b0-73d9-98cf-%012d", ++counter);
  return buf;
}

// The commit a task actor would make for `cmd` against `state`.
inline ports::task_commit commit_for(const task::task_state& state, const messages::TaskCommand& cmd,
                                     std::int64_t now) {
  auto decided = task::decide(state, cmd, {now});
  REQUIRE(std::holds_alternative<std::vector<messages::EventEnvelope>>(decided));
  ports::task_commit commit;
  commit.expected_version = state.snapshot.version();
  commit.next = state;
  for (auto& e : std::get<std::vector<messages::EventEnvelope>>(decided)) {
    e.set_event_id(new_id());
    e.set_command_id(cmd.command_id());
    commit.next = task::apply(std::move(commit.next), e);
    commit.events.push_back(std::move(e));
  }
  return commit;
}

// Hands `commit` to the store and waits for its outcome: a test's thread may
// block where an actor's may not.
inline caf::expected<void> commit_and_wait(ports::task_store& store, const ports::task_commit& commit) {
  std::promise<caf::expected<void>> outcome;
  auto written = outcome.get_future();
  store.commit(std::make_shared<const ports::task_commit>(commit),
               [&outcome](caf::expected<void> result) { outcome.set_value(std::move(result)); });
  return written.get();
}

}  // namespace taskflow::testing
