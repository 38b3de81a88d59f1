// The two key-value buckets of a cluster. taskflow_members_<cluster> holds
// one member_record per node under its id. taskflow_cluster_<cluster> holds
// the shard count under key "cluster": the first node records it, and a node
// configured differently is refused. Either bucket is created by whichever
// node finds it missing first.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "cluster/nats/nats_handles.hpp"

namespace taskflow::cluster {

std::string members_bucket_name(const std::string& cluster);

// Binds to the members bucket, creating it when absent. Its max age only
// bounds what crashed members leave behind (a few ttls): lapses are judged
// by the watchers.
caf::expected<nats::kv_ptr> open_members_bucket(jsCtx* js, const std::string& cluster, std::chrono::milliseconds ttl);

// Binds to the config bucket, creating it when absent, and records the
// shard count there or checks this node's against the one recorded.
caf::error agree_shard_count(jsCtx* js, const std::string& cluster, std::uint32_t shard_count);

}  // namespace taskflow::cluster
