// outbox_store on SQLite: one node drains its own file, so unsent rows need
// no claim; the relay reads them in commit order.
#pragma once

#include <memory>

#include "actors/ports/services/outbox_store.hpp"

namespace taskflow::persistence {

class sqlite_pool;

class sqlite_outbox_store final : public ports::outbox_store {
public:
  explicit sqlite_outbox_store(std::shared_ptr<sqlite_pool> pool);

  caf::expected<std::vector<ports::outbox_entry>> fetch_unsent(std::size_t limit) override;
  caf::expected<void> mark_sent(const std::vector<std::int64_t>& seqs) override;
  caf::expected<std::int64_t> backlog() override;
  caf::expected<std::int64_t> prune_sent(std::int64_t older_than_ms) override;

private:
  std::shared_ptr<sqlite_pool> pool_;
};

}  // namespace taskflow::persistence
