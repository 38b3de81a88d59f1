// outbox_store on PostgreSQL, where several nodes drain one outbox: a node
// claims the rows it fetches (SKIP LOCKED) for a lease, so each row goes to
// one relay at a time, and a relay that dies leaves its rows to the others.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <pqxx/connection>

#include "actors/ports/services/outbox_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_outbox_store final : public ports::outbox_store {
public:
  // `instance_id` names this node's claims; unique per node.
  pg_outbox_store(std::shared_ptr<pg_pool> pool, std::string instance_id, std::chrono::milliseconds claim_lease);

  // Names the prepared statements this adapter runs.
  static void prepare(pqxx::connection& conn);

  caf::expected<std::vector<ports::outbox_entry>> fetch_unsent(std::size_t limit) override;
  caf::expected<void> mark_sent(const std::vector<std::int64_t>& seqs) override;
  caf::expected<std::int64_t> backlog() override;
  caf::expected<std::int64_t> prune_sent(std::int64_t older_than_ms) override;

private:
  std::shared_ptr<pg_pool> pool_;
  std::string instance_id_;
  std::chrono::milliseconds claim_lease_;
};

}  // namespace taskflow::persistence
