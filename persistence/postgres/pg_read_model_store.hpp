// read_model_store on PostgreSQL: task_view kept by the projector in a few
// multi-row statements per batch (pg_projection.hpp), and the list queries
// over it, shared by every node.
#pragma once

#include <memory>

#include <pqxx/connection>

#include "actors/ports/services/read_model_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_read_model_store final : public ports::read_model_store {
public:
  explicit pg_read_model_store(std::shared_ptr<pg_pool> pool);

  // Names the prepared statements this adapter runs.
  static void prepare(pqxx::connection& conn);

  caf::expected<std::vector<ports::projection_outcome>> project(
      const std::string& consumer, const std::vector<messages::EventEnvelope>& events) override;
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery& query) override;
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery& query) override;
  caf::expected<ports::view_mark> view_mark_of(const std::string& task_id) override;
  caf::expected<void> ping() override;

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
