#include "runtime/identity/revocation_listener.hpp"

#include "messages/time/unix_clock.hpp"

namespace taskflow::runtime {

caf::expected<std::unique_ptr<ports::bus_subscription>> listen_for_revocations(
    ports::event_bus& bus, ports::identity_store& identities, const std::string& node_id,
    std::shared_ptr<revocation_set> revoked, std::shared_ptr<api_key_cache> api_keys) {
  auto consumer = "revocations-" + node_id;
  if (auto declared = bus.declare_consumer(consumer, ports::consumer_scope::node); !declared)
    return declared.error();
  auto subscription = bus.subscribe(consumer, [revoked, api_keys](ports::bus_delivery d) {
    if (d.event.has_session_revoked())
      revoked->revoke(d.event.aggregate_id(), d.event.session_revoked().revoke_until_ms());
    if (d.event.has_api_key_revoked())
      api_keys->evict(d.event.api_key_revoked().key_hash());
    d.ack();
  });
  if (!subscription)
    return subscription.error();
  auto already = identities.revoked_sessions(clock::unix_now_ms());
  if (!already)
    return already.error();
  for (const auto& r : *already)
    revoked->revoke(r.session_id, r.revoke_until_ms);
  return subscription;
}

}  // namespace taskflow::runtime
