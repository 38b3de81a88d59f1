#include "runtime/edge_api/webhook_gateway.hpp"

#include <algorithm>
#include <map>

#include <caf/sec.hpp>

#include "actors/notification/webhook_registration.hpp"
#include "messages/common/errors.hpp"
#include "messages/ids/uuid.hpp"
#include "runtime/edge_api/post_or_refuse.hpp"
#include "runtime/webhooks/webhook_signature.hpp"
#include "runtime/webhooks/webhook_target_check.hpp"

namespace taskflow::runtime {
namespace {

messages::Error unavailable(const caf::error& cause) {
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE, ports::error_detail(cause));
}

messages::Error invalid(messages::field_errors errors) {
  return messages::validation_error("The webhook registration is not valid.", std::move(errors));
}

messages::Error no_such_webhook() {
  return messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No webhook with this id.");
}

// The endpoint when it exists and is the owner's (any owner's for nullopt);
// NOT_FOUND otherwise, so nobody learns another's ids exist.
outcome<ports::webhook_endpoint> owned(ports::webhook_store& store, const std::optional<std::string>& owner_id,
                                       const std::string& id) {
  auto found = store.endpoint(id);
  if (!found)
    return unavailable(found.error());
  if (!*found || (owner_id && (*found)->owner_id != *owner_id))
    return no_such_webhook();
  return std::move(**found);
}

}  // namespace

webhook_gateway::webhook_gateway(ports::blocking_executor& pool, std::shared_ptr<ports::webhook_store> store,
                                 std::shared_ptr<endpoint_breakers> breakers, bool allow_private,
                                 std::function<std::int64_t()> now_ms)
    : pool_(pool),
      store_(std::move(store)),
      breakers_(std::move(breakers)),
      allow_private_(allow_private),
      now_ms_(std::move(now_ms)) {}

template <class T>
void webhook_gateway::run(std::function<outcome<T>()> call, outcome_handler<T> done) {
  post_or_refuse(pool_, done, [call = std::move(call), done] { done(call()); });
}

void webhook_gateway::create(webhook_registration registration, outcome_handler<ports::webhook_endpoint> done) {
  messages::field_errors errors;
  notification::parse_webhook_url(registration.url, errors);
  auto events = notification::checked_event_types(registration.events, errors);
  if (registration.secret && !webhook_secret_key(*registration.secret))
    messages::add_field_error(errors, "secret", "must be whsec_ followed by base64 of 24 to 64 bytes");
  if (!errors.empty())
    return done(invalid(std::move(errors)));
  ports::webhook_endpoint endpoint;
  endpoint.id = ids::new_uuid_v7();
  endpoint.owner_id = std::move(registration.owner_id);
  endpoint.url = std::move(registration.url);
  endpoint.events = std::move(events);
  endpoint.secret = registration.secret ? std::move(*registration.secret) : new_webhook_secret();
  endpoint.created_at_ms = now_ms_();
  run<ports::webhook_endpoint>(
      [store = store_, allow = allow_private_, endpoint = std::move(endpoint)]() -> outcome<ports::webhook_endpoint> {
        // A name that does not resolve now may later; the dispatcher checks
        // again before every attempt. An internal address is refused now.
        auto target = check_webhook_target(endpoint.url, allow);
        if (!target && target.error() == caf::sec::invalid_argument) {
          messages::field_errors refused;
          messages::add_field_error(refused, "url", ports::error_detail(target.error()));
          return invalid(std::move(refused));
        }
        if (auto created = store->create_endpoint(endpoint); !created)
          return unavailable(created.error());
        return endpoint;
      },
      std::move(done));
}

void webhook_gateway::list(std::string owner_id, outcome_handler<std::vector<ports::webhook_endpoint>> done) {
  run<std::vector<ports::webhook_endpoint>>(
      [store = store_, owner_id = std::move(owner_id)]() -> outcome<std::vector<ports::webhook_endpoint>> {
        auto found = store->endpoints_of(owner_id);
        if (!found)
          return unavailable(found.error());
        return std::move(*found);
      },
      std::move(done));
}

void webhook_gateway::remove(std::string owner_id, std::string id, outcome_handler<bool> done) {
  run<bool>(
      [store = store_, owner_id = std::move(owner_id), id = std::move(id)]() -> outcome<bool> {
        auto endpoint = owned(*store, owner_id, id);
        if (auto* e = failed(endpoint))
          return *e;
        auto deleted = store->delete_endpoint(id);
        if (!deleted)
          return unavailable(deleted.error());
        return *deleted;
      },
      std::move(done));
}

void webhook_gateway::deliveries(std::optional<std::string> owner_id, std::string id, std::size_t limit,
                                 std::optional<ports::delivery_position> after,
                                 outcome_handler<ports::delivery_page> done) {
  run<ports::delivery_page>(
      [store = store_, owner_id = std::move(owner_id), id = std::move(id), limit,
       after = std::move(after)]() -> outcome<ports::delivery_page> {
        auto endpoint = owned(*store, owner_id, id);
        if (auto* e = failed(endpoint))
          return *e;
        auto page = store->deliveries(id, limit, after);
        if (!page)
          return unavailable(page.error());
        return std::move(*page);
      },
      std::move(done));
}

void webhook_gateway::dispatcher(outcome_handler<webhook_dispatcher_view> done) {
  run<webhook_dispatcher_view>(
      [store = store_, breakers = breakers_]() -> outcome<webhook_dispatcher_view> {
        auto backlog = store->backlog();
        if (!backlog)
          return unavailable(backlog.error());
        webhook_dispatcher_view view;
        view.pending = backlog->pending;
        std::map<std::string, webhook_dispatcher_view::endpoint_health> by_id;
        for (const auto& [id, retrying] : backlog->retrying_by_endpoint)
          by_id[id].retrying = retrying;
        for (const auto& [id, state] : breakers->states())
          if (state != breaker_state::closed || by_id.count(id) > 0)
            by_id[id].breaker = std::string{breaker_state_name(state)};
        for (auto& [id, health] : by_id) {
          health.id = id;
          if (auto endpoint = store->endpoint(id); endpoint && *endpoint) {
            health.url = (*endpoint)->url;
            health.owner_id = (*endpoint)->owner_id;
            health.disabled = (*endpoint)->disabled_at_ms.has_value();
          }
          view.endpoints.push_back(std::move(health));
        }
        return view;
      },
      std::move(done));
}

}  // namespace taskflow::runtime
