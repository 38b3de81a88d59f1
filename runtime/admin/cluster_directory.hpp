// What the admin API needs to know about the cluster: its nodes, who owns
// which shard, and where each worker's admin agent is. The embedded node
// answers with single_node_directory; the cluster answers from its watched
// membership and shard table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>

namespace taskflow::runtime {

struct admin_node_view {
  std::string id;
  std::vector<std::string> roles;
  std::string state;  // "joining", "up" or "leaving"
  std::string http_address;
  std::string cluster_address;  // empty without a middleman
  std::int64_t started_at_ms = 0;
  std::uint32_t shards_owned = 0;
};

struct admin_target {
  std::string node_id;
  caf::actor agent;  // may be a remote actor handle
};

class cluster_directory {
public:
  virtual ~cluster_directory() = default;

  virtual std::string cluster_name() const = 0;
  virtual std::string self_id() const = 0;
  virtual std::uint32_t shard_count() const = 0;
  // The id of the node owning each shard, by shard number; empty when none.
  virtual std::vector<std::string> shard_owners() const = 0;
  virtual std::vector<admin_node_view> nodes() const = 0;
  // Every worker's admin agent.
  virtual std::vector<admin_target> agents() const = 0;
  // The agent of the node owning the shard of `key` ("task/<id>").
  virtual std::optional<admin_target> agent_for(const std::string& key) const = 0;
};

}  // namespace taskflow::runtime
