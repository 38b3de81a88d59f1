#include "runtime/sharding/shard_router.hpp"

#include <algorithm>

#include "runtime/sharding/shard_key.hpp"

namespace taskflow::runtime {

shard_router::shard_router(shard_host_handle local_host, std::string self_id,
                           std::shared_ptr<const cluster::shard_table> table,
                           std::shared_ptr<cluster::peer_connections> remote)
    : local_host_(local_host), self_id_(std::move(self_id)), table_(std::move(table)), remote_(std::move(remote)) {}

void shard_router::set_table(std::shared_ptr<const cluster::shard_table> table) {
  std::lock_guard lock{mutex_};
  table_ = std::move(table);
}

std::shared_ptr<const cluster::shard_table> shard_router::table() const {
  std::lock_guard lock{mutex_};
  return table_;
}

std::optional<route> shard_router::resolve(const std::string& key) const {
  auto current = table();
  const auto& owner = current->owner_of(shard_of(key, current->shard_count));
  if (owner.empty())
    return std::nullopt;
  if (owner == self_id_) {
    auto host = local_host_.current();
    if (!host)
      return std::nullopt;
    return route{std::move(host), owner, false};
  }
  if (!remote_)
    return std::nullopt;
  auto entry = remote_->get(owner);
  if (!entry)
    return std::nullopt;
  return route{std::move(entry), owner, true};
}

bool shard_router::has_owners() const {
  auto current = table();
  // This node's own shards count only while its shard host is up (it may
  // be restarting under its supervisor).
  bool local_host = static_cast<bool>(local_host_.current());
  return std::any_of(current->owners.begin(), current->owners.end(),
                     [&](const auto& o) { return !o.empty() && (o != self_id_ || local_host); });
}

}  // namespace taskflow::runtime
