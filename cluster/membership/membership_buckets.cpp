#include "cluster/membership/membership_buckets.hpp"

#include <thread>

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

namespace taskflow::cluster {
namespace {

using steady = std::chrono::steady_clock;

constexpr const char* cluster_key = "cluster";

caf::expected<nats::kv_ptr> bind_or_create(jsCtx* js, kvConfig& cfg) {
  kvStore* raw = nullptr;
  auto s = js_KeyValue(&raw, js, cfg.Bucket);
  if (s == NATS_NOT_FOUND) {
    // Two nodes may race to create it; the loser binds to the winner's.
    s = js_CreateKeyValue(&raw, js, &cfg);
    if (s != NATS_OK)
      s = js_KeyValue(&raw, js, cfg.Bucket);
  }
  if (s != NATS_OK)
    return nats::error(std::string{"cannot open key-value bucket "} + cfg.Bucket, s);
  return nats::kv_ptr{raw};
}

// The first node records the cluster's shard count; every later one must agree.
caf::error agree_in(kvStore* kv, const std::string& cluster, const std::string& bucket, std::uint32_t shard_count) {
  auto ours = nlohmann::json{{"shard_count", shard_count}}.dump();
  std::uint64_t rev = 0;
  kvEntry* raw = nullptr;
  // A bucket that another node created a moment ago can answer "no
  // responders" until its stream is ready (seen with workers started at
  // once): start-up waits a little for it rather than fail.
  auto until = steady::now() + std::chrono::seconds{5};
  for (;;) {
    auto created = kvStore_Create(&rev, kv, cluster_key, ours.data(), static_cast<int>(ours.size()));
    if (created == NATS_OK)
      return {};
    auto read = kvStore_Get(&raw, kv, cluster_key);
    if (read == NATS_OK)
      break;
    bool transient = (created == NATS_NO_RESPONDERS || created == NATS_TIMEOUT) &&
                     (read == NATS_NO_RESPONDERS || read == NATS_TIMEOUT || read == NATS_NOT_FOUND);
    if (!transient || steady::now() >= until)
      return nats::error("cannot record or read the shard count of cluster '" + cluster + "'", created);
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  nats::kv_entry_ptr entry{raw};
  auto j = nlohmann::json::parse(kvEntry_ValueString(entry.get()), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("shard_count") || !j["shard_count"].is_number_unsigned())
    return caf::make_error(caf::sec::invalid_argument, "cluster '" + cluster +
                                                           "' has an unreadable shard count in bucket " + bucket +
                                                           ": " + kvEntry_ValueString(entry.get()));
  auto theirs = j["shard_count"].get<std::uint64_t>();
  if (theirs != shard_count)
    return caf::make_error(caf::sec::invalid_argument,
                           "cluster '" + cluster + "' has " + std::to_string(theirs) +
                               " shards, this node is configured for " + std::to_string(shard_count) +
                               "; start it with the cluster's shard count (or delete bucket " + bucket +
                               " once every node of the cluster has stopped)");
  return {};
}

}  // namespace

std::string members_bucket_name(const std::string& cluster) {
  return "taskflow_members_" + cluster;
}

caf::expected<nats::kv_ptr> open_members_bucket(jsCtx* js, const std::string& cluster, std::chrono::milliseconds ttl) {
  auto name = members_bucket_name(cluster);
  // File storage keeps stream sequences across a server restart, which the
  // watcher's ordered consumer resumes from.
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = name.c_str();
  cfg.History = 1;
  cfg.TTL = std::chrono::duration_cast<std::chrono::nanoseconds>(ttl * 4).count();
  cfg.StorageType = js_FileStorage;
  return bind_or_create(js, cfg);
}

caf::error agree_shard_count(jsCtx* js, const std::string& cluster, std::uint32_t shard_count) {
  // The shard count outlives every member, so its bucket has no max age.
  auto name = "taskflow_cluster_" + cluster;
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = name.c_str();
  cfg.History = 1;
  cfg.StorageType = js_FileStorage;
  auto kv = bind_or_create(js, cfg);
  if (!kv)
    return kv.error();
  return agree_in(kv->get(), cluster, name, shard_count);
}

}  // namespace taskflow::cluster
