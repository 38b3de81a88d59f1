// The runtime's handle on webhooks for the HTTP edge, which may not reach a
// store (API.md, Notifications: webhooks). Registration checks the URL and
// event types, resolves the target and refuses internal addresses (unless
// --webhook-allow-private), and makes a secret when none is given. Every
// store call and the name lookup block, so each runs on the store pool and
// answers through a callback there.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/webhook_store.hpp"
#include "runtime/edge_api/outcome.hpp"
#include "runtime/resilience/circuit_breaker.hpp"
#include "runtime/webhooks/endpoint_breakers.hpp"

namespace taskflow::runtime {

// The edge reads these through the gateway, never from the port.
using ports::delivery_page;
using ports::delivery_position;
using ports::webhook_delivery;
using ports::webhook_endpoint;

struct webhook_registration {
  std::string owner_id;
  std::string url;
  std::vector<std::string> events;
  std::optional<std::string> secret;
};

// What the dispatcher looks like from here: the store's queue (every node's)
// and this node's breakers.
struct webhook_dispatcher_view {
  std::size_t pending = 0;
  struct endpoint_health {
    std::string id;
    std::string url;
    std::string owner_id;
    std::size_t retrying = 0;  // pending deliveries whose last attempt failed
    std::string breaker = "closed";
    bool disabled = false;
  };
  std::vector<endpoint_health> endpoints;  // the failing ones and those with a breaker not closed
};

class webhook_gateway {
public:
  webhook_gateway(ports::blocking_executor& pool, std::shared_ptr<ports::webhook_store> store,
                  std::shared_ptr<endpoint_breakers> breakers, bool allow_private,
                  std::function<std::int64_t()> now_ms);

  // The new endpoint, its secret included (shown this once). VALIDATION with
  // field errors for a bad URL, event type or secret, and for a target that
  // resolves to an internal address.
  void create(webhook_registration registration, outcome_handler<ports::webhook_endpoint> done);
  void list(std::string owner_id, outcome_handler<std::vector<ports::webhook_endpoint>> done);
  // NOT_FOUND unless the endpoint is the owner's.
  void remove(std::string owner_id, std::string id, outcome_handler<bool> done);
  // Without an owner (an admin asks), any endpoint's.
  void deliveries(std::optional<std::string> owner_id, std::string id, std::size_t limit,
                  std::optional<ports::delivery_position> after, outcome_handler<ports::delivery_page> done);

  // For the admin console and taskflowctl.
  void dispatcher(outcome_handler<webhook_dispatcher_view> done);

private:
  template <class T>
  void run(std::function<outcome<T>()> call, outcome_handler<T> done);

  ports::blocking_executor& pool_;
  std::shared_ptr<ports::webhook_store> store_;
  std::shared_ptr<endpoint_breakers> breakers_;
  bool allow_private_;
  std::function<std::int64_t()> now_ms_;
};

}  // namespace taskflow::runtime
