// Handles to other nodes' remote entries, the one actor each worker publishes
// on its CAF middleman port. Handles are made asynchronously (a caller never
// blocks on a TCP connect), cached while the connection lives, and dropped
// when the proxy goes down or the node leaves the table.
//
// Of two workers only one dials: the one whose id sorts first, as soon as
// the other appears; it then offers its own entry over that connection. CAF
// 0.17 drops both connections when two nodes' handshakes cross, and both
// sides would redial in step, so two workers dialing each other at once
// could stay apart for seconds. The other worker dials only when no offer
// came within a grace period (the first may not see it yet), and an edge,
// which publishes no entry, dials every worker.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>

namespace taskflow::cluster {

// (offer_atom, node id, entry): a worker that dialed this node's entry offers
// its own, so this node needs no connection of its own back.
using offer_atom = caf::atom_constant<caf::atom("offer")>;

struct peer_timing {
  std::chrono::milliseconds connect_timeout{2000};
  // How long the worker whose id sorts second waits for the other's offer.
  std::chrono::milliseconds offer_grace{1000};
  // The pause before dialing again after a refused or dropped connection.
  std::chrono::milliseconds redial_pause{100};
};

class peer_connections {
public:
  peer_connections(caf::actor_system& system, std::string self_id, peer_timing timing = {});
  ~peer_connections();
  peer_connections(const peer_connections&) = delete;
  peer_connections& operator=(const peer_connections&) = delete;

  // This node's own entry (workers only), offered to every entry it dials.
  void set_own_entry(caf::actor entry);

  // The other members' cluster addresses (node id -> "host:port"). Handles
  // of nodes that are gone, or now listen elsewhere, are dropped; new ones
  // are dialed now or awaited, as the header says.
  void update(const std::unordered_map<std::string, std::string>& addresses);

  // An entry a peer offered after dialing this node's.
  void offered(const std::string& node_id, caf::actor entry);

  // The entry of `node_id` when connected; otherwise starts a connection
  // (one at a time per node, and not while a pause or grace runs) and
  // returns an invalid handle: the caller retries shortly.
  caf::actor get(const std::string& node_id);

  // Number of nodes with a live handle (for metrics).
  std::size_t connected() const;

  struct shared;

private:
  caf::actor_system& system_;
  std::shared_ptr<shared> shared_;
};

// Whether this node dials `peer_id` first: always without an entry of its own
// (an edge), otherwise when its id sorts first.
bool dials_first(const std::string& self_id, const std::string& peer_id, bool has_own_entry);

// "host:port" split at the last colon (so "[::1]:7000" keeps its brackets
// off the host); false when the port is missing or not a number.
bool split_host_port(const std::string& address, std::string& host, std::uint16_t& port);

}  // namespace taskflow::cluster
