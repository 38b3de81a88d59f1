// The store ports behind a dependency guard: with PostgreSQL down, every
// call fails at once with store_errc::unavailable (the edge answers 503 with
// Retry-After) instead of each request waiting for a connect timeout. Reads
// are retried; commits are not, because a commit whose outcome is unknown
// may have happened.
#pragma once

#include <memory>

#include "actors/ports/services/outbox_store.hpp"
#include "actors/ports/services/read_model_store.hpp"
#include "actors/ports/task_store.hpp"
#include "runtime/resilience/dependency_guard.hpp"

namespace taskflow::runtime {

class guarded_store final : public ports::task_store, public ports::outbox_store, public ports::read_model_store {
public:
  guarded_store(std::shared_ptr<ports::task_store> tasks, std::shared_ptr<ports::outbox_store> outbox,
                std::shared_ptr<ports::read_model_store> reads, std::shared_ptr<dependency_guard> guard);

  caf::expected<std::optional<task::task_state>> load_task(const std::string& id) override;
  void commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) override;

  caf::expected<std::vector<ports::outbox_entry>> fetch_unsent(std::size_t limit) override;
  caf::expected<void> mark_sent(const std::vector<std::int64_t>& seqs) override;
  caf::expected<std::int64_t> backlog() override;
  caf::expected<std::int64_t> prune_sent(std::int64_t older_than_ms) override;

  caf::expected<std::vector<ports::projection_outcome>> project(
      const std::string& consumer, const std::vector<messages::EventEnvelope>& events) override;
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) override;
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) override;
  caf::expected<ports::view_mark> view_mark_of(const std::string& task_id) override;
  // Not guarded: readiness must see the dependency itself, and a ping is
  // how an operator learns that it is back.
  caf::expected<void> ping() override;

private:
  std::shared_ptr<ports::task_store> tasks_;
  std::shared_ptr<ports::outbox_store> outbox_;
  std::shared_ptr<ports::read_model_store> reads_;
  std::shared_ptr<dependency_guard> guard_;
};

}  // namespace taskflow::runtime
