// Cluster membership in a NATS JetStream key-value bucket,
// taskflow_members_<cluster>: one key per node holding its member_record as
// JSON, put at start and again every heartbeat, deleted on a graceful leave.
// Every node watches the bucket and keeps a membership_view; a member not
// heard from for a ttl is lapsed by each node on its own steady clock (the
// server tells watchers nothing when a record ages out). The shard count
// lives in a second bucket with no max age, taskflow_cluster_<cluster>, key
// "cluster": the first node creates it, and a node configured differently is
// refused. A node fences itself: in_contact() turns false before the others
// can have lapsed it, so a node cut off from NATS stops serving first.
// Uses its own NATS connection, separate from the event bus.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "cluster/membership/local_member.hpp"
#include "cluster/membership/member_record.hpp"
#include "cluster/membership/membership_snapshot.hpp"

namespace taskflow::cluster {

struct membership_options {
  std::string url;                   // nats://host:port, comma-separated for a cluster
  std::string cluster = "taskflow";  // [A-Za-z0-9_-]+, part of the bucket names
  std::uint32_t shard_count = 1024;
  std::chrono::milliseconds heartbeat{500};
  std::chrono::milliseconds ttl{1500};  // a member not heard from for ttl is lapsed
  std::chrono::milliseconds connect_timeout{2000};
  // How long start() keeps trying to put the first record and read the
  // bucket: nodes start beside each other and their NATS (a rollout, a
  // loaded machine), where a JetStream request may find no responder yet or
  // a first read be slow, and start-up has no request waiting on it.
  std::chrono::milliseconds startup_wait{std::chrono::seconds{15}};
  // How long after its last acknowledged heartbeat a node still counts as in
  // contact; 0 means ttl * 2 / 3. Must stay below ttl minus a heartbeat's
  // timeout (heartbeat / 2), or a cut-off node could serve after the others
  // took its shards.
  std::chrono::milliseconds fence_after{0};
  std::chrono::milliseconds reconnect_wait{250};
};

class nats_membership final : public local_member {
public:
  // Connects, creates the buckets when absent and agrees the shard count.
  // Does not put this node's record yet.
  static caf::expected<std::unique_ptr<nats_membership>> open(membership_options options, member_record self);
  // Stops the threads and deletes this node's record (best effort), unless
  // it left or was abandoned already. No callback runs after it returns.
  ~nats_membership() override;
  nats_membership(const nats_membership&) = delete;
  nats_membership& operator=(const nats_membership&) = delete;

  // Puts this node's record (an error when that fails), starts the heartbeat
  // and the watcher, and returns once the bucket's current members have been
  // read, with on_change called once for them. on_change runs on the watcher
  // thread, never concurrently with itself, until this object is destroyed:
  // whatever it refers to must outlive this object.
  caf::expected<void> start(membership_handler on_change);

  // Each changes this node's record and puts it at once (once started).
  void set_state(member_state state);
  // Changes the record and returns at once; the heartbeat thread puts it
  // right away. For actors, which must not wait on NATS.
  void set_handoff_ack(std::uint64_t epoch) override;
  void set_cluster_address(std::string address);
  void set_http_address(std::string address);

  membership_snapshot snapshot() const;
  member_record self() const override;

  // True while this node's last acknowledged heartbeat was sent less than
  // fence_after ago: the node may serve its shards only while this holds.
  bool in_contact() const override;

  // Bucket revisions of this node's own record: the last one it stored,
  // and the last one its watcher delivered. Updates arrive in revision
  // order, so once seen_revision() reaches a stored revision, the view
  // holds every record written before that put.
  std::uint64_t stored_revision() const override;
  std::uint64_t seen_revision() const override;

  // Graceful exit: stops the heartbeat and deletes this node's record now.
  // The watcher keeps running until destruction.
  void leave();

  // What a crash leaves behind: stops heartbeat and watcher and closes the
  // connection without deleting the record. For tests of lapse judging.
  void abandon();

  const std::string& bucket() const;

  struct impl;

private:
  explicit nats_membership(std::unique_ptr<impl> self);
  std::unique_ptr<impl> self_;
};

}  // namespace taskflow::cluster
