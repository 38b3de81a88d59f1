// Port: webhook endpoints and their deliveries (API.md, Notifications:
// webhooks). Deliveries are rows, so a restart or the loss of a node loses
// none: whoever runs a dispatcher leases the due ones, tries them, and
// records the outcome; a lease that lapses (its node died) frees them for
// another node. Only runtime services and gateways use it; actors never do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/ids/uuid.hpp"
#include "messages/notification/notification.pb.h"

namespace taskflow::ports {

struct webhook_endpoint {
  std::string id;
  std::string owner_id;
  std::string url;
  std::vector<std::string> events;
  // "whsec_..." as the owner was given it; signs every delivery.
  std::string secret;
  std::int64_t created_at_ms = 0;
  // Set once a receiver answered 410 Gone: no delivery is made for it again.
  std::optional<std::int64_t> disabled_at_ms;
};

struct webhook_delivery {
  // uuid_v5(endpoint id, notification id): the webhook-id header, the same
  // on every attempt, and why enqueueing a notification twice adds nothing.
  std::string id;
  std::string endpoint_id;
  // What is sent: the notification as the feed shows it.
  messages::Notification notification;
  int attempts = 0;
  std::string status;  // "pending", "delivered" or "failed"
  std::optional<int> last_status_code;
  std::string last_error;
  std::int64_t next_attempt_at_ms = 0;
  std::optional<std::int64_t> delivered_at_ms;
  std::int64_t created_at_ms = 0;
};

// A delivery a dispatcher holds until lease_until_ms, with what it needs to
// send it.
struct leased_delivery {
  webhook_delivery delivery;
  std::string url;
  std::string secret;
  std::int64_t lease_until_ms = 0;
};

// One attempt's result, as the retry rules judged it.
struct attempt_record {
  std::string delivery_id;
  int attempts = 0;  // including this one
  std::string status;
  std::optional<int> status_code;
  std::string error;  // empty when an answer came
  std::optional<std::int64_t> next_attempt_at_ms;
  std::optional<std::int64_t> delivered_at_ms;
  bool disable_endpoint = false;
};

// A place in an endpoint's delivery log, newest first; ids break ties.
struct delivery_position {
  std::int64_t created_at_ms = 0;
  std::string id;
};

struct delivery_page {
  std::vector<webhook_delivery> items;
  bool more = false;
};

// What the dispatcher's console shows: the queue and who keeps failing.
struct webhook_backlog {
  std::size_t pending = 0;
  // Pending deliveries whose last attempt failed, per endpoint.
  std::vector<std::pair<std::string, std::size_t>> retrying_by_endpoint;
};

// The delivery of a notification to an endpoint: one id for both, whichever
// node enqueues it and however often.
inline std::string webhook_delivery_id(const std::string& endpoint_id, const std::string& notification_id) {
  return ids::uuid_v5(endpoint_id, notification_id);
}

class webhook_store {
public:
  virtual ~webhook_store() = default;

  // Endpoints. A delete takes its deliveries with it.
  virtual caf::expected<void> create_endpoint(const webhook_endpoint& endpoint) = 0;
  virtual caf::expected<std::vector<webhook_endpoint>> endpoints_of(const std::string& owner_id) = 0;
  virtual caf::expected<std::optional<webhook_endpoint>> endpoint(const std::string& id) = 0;
  // False when there was no such endpoint.
  virtual caf::expected<bool> delete_endpoint(const std::string& id) = 0;
  virtual caf::expected<bool> disable_endpoint(const std::string& id, std::int64_t now_ms) = 0;

  // One pending delivery, due at now_ms, per enabled endpoint of each
  // notification's recipient that asked for its type. Ids are deterministic,
  // so a repeat adds nothing. Answers how many were new.
  virtual caf::expected<std::size_t> enqueue_deliveries(const std::vector<messages::Notification>& notifications,
                                                        std::int64_t now_ms) = 0;

  // Claims up to `limit` pending deliveries due by now_ms whose lease is free
  // or lapsed, for node_id until now_ms + lease_ms, oldest due first. Two
  // nodes never hold one delivery at the same moment.
  virtual caf::expected<std::vector<leased_delivery>> lease_due(const std::string& node_id, std::int64_t now_ms,
                                                                std::int64_t lease_ms, std::size_t limit) = 0;

  // Records an attempt made under node_id's lease and frees the lease. False
  // (and nothing written) when the lease is no longer node_id's.
  virtual caf::expected<bool> record_attempt(const std::string& node_id, const attempt_record& attempt,
                                             std::int64_t now_ms) = 0;

  // Hands a leased delivery back unattempted, due again at next_attempt_at_ms
  // (the endpoint's breaker is open). False when the lease is gone.
  virtual caf::expected<bool> postpone(const std::string& node_id, const std::string& delivery_id,
                                       std::int64_t next_attempt_at_ms) = 0;

  // An endpoint's delivery log, newest first.
  virtual caf::expected<delivery_page> deliveries(const std::string& endpoint_id, std::size_t limit,
                                                  const std::optional<delivery_position>& after) = 0;

  virtual caf::expected<webhook_backlog> backlog() = 0;
};

}  // namespace taskflow::ports
