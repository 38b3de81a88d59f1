// This node's own side of the membership, as the cluster coordinator uses
// it: its record, whether it still counts as in contact with the bucket, the
// revisions of its record, and the handoff it acknowledges. nats_membership
// is the one implementation; the coordinator's unit tests drive it through
// a fake, with no NATS.
#pragma once

#include <cstdint>

#include "cluster/membership/member_record.hpp"

namespace taskflow::cluster {

class local_member {
public:
  virtual ~local_member() = default;

  virtual member_record self() const = 0;
  // The node may serve its shards only while this holds.
  virtual bool in_contact() const = 0;
  // The last revision of this node's record stored, and the last one its
  // watcher delivered: once the second reaches the first, the view holds
  // every record written before that put.
  virtual std::uint64_t stored_revision() const = 0;
  virtual std::uint64_t seen_revision() const = 0;
  // Records the placement epoch whose handoff this node finished; returns at
  // once, as actors must not wait on the bucket.
  virtual void set_handoff_ack(std::uint64_t epoch) = 0;
};

}  // namespace taskflow::cluster
