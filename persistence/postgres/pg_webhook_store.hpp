// webhook_store on PostgreSQL: the webhook_endpoints and webhook_deliveries
// tables. A lease is one statement that skips rows another node is leasing
// (FOR UPDATE SKIP LOCKED), so nodes polling together never wait on each other.
#pragma once

#include <memory>

#include "actors/ports/services/webhook_store.hpp"

namespace taskflow::persistence {

class pg_pool;

class pg_webhook_store final : public ports::webhook_store {
public:
  explicit pg_webhook_store(std::shared_ptr<pg_pool> pool);

  caf::expected<void> create_endpoint(const ports::webhook_endpoint& endpoint) override;
  caf::expected<std::vector<ports::webhook_endpoint>> endpoints_of(const std::string& owner_id) override;
  caf::expected<std::optional<ports::webhook_endpoint>> endpoint(const std::string& id) override;
  caf::expected<bool> delete_endpoint(const std::string& id) override;
  caf::expected<bool> disable_endpoint(const std::string& id, std::int64_t now_ms) override;
  caf::expected<std::size_t> enqueue_deliveries(const std::vector<messages::Notification>& notifications,
                                                std::int64_t now_ms) override;
  caf::expected<std::vector<ports::leased_delivery>> lease_due(const std::string& node_id, std::int64_t now_ms,
                                                               std::int64_t lease_ms, std::size_t limit) override;
  caf::expected<bool> record_attempt(const std::string& node_id, const ports::attempt_record& attempt,
                                     std::int64_t now_ms) override;
  caf::expected<bool> postpone(const std::string& node_id, const std::string& delivery_id,
                               std::int64_t next_attempt_at_ms) override;
  caf::expected<ports::delivery_page> deliveries(const std::string& endpoint_id, std::size_t limit,
                                                 const std::optional<ports::delivery_position>& after) override;
  caf::expected<ports::webhook_backlog> backlog() override;

private:
  std::shared_ptr<pg_pool> pool_;
};

}  // namespace taskflow::persistence
