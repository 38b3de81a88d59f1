// read_model_store on SQLite: task_view kept by the projector (one statement
// per changed row, under the single writer) and the list queries over it.
#pragma once

#include <memory>

#include "actors/ports/services/read_model_store.hpp"

namespace taskflow::persistence {

class sqlite_pool;

class sqlite_read_model_store final : public ports::read_model_store {
public:
  explicit sqlite_read_model_store(std::shared_ptr<sqlite_pool> pool);

  caf::expected<std::vector<ports::projection_outcome>> project(
      const std::string& consumer, const std::vector<messages::EventEnvelope>& events) override;
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) override;
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) override;
  caf::expected<ports::view_mark> view_mark_of(const std::string& task_id) override;
  caf::expected<void> ping() override;

private:
  std::shared_ptr<sqlite_pool> pool_;
};

}  // namespace taskflow::persistence
