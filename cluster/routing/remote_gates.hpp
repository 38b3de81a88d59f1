// Handles to other nodes' cluster gates, the one actor each worker publishes
// on its CAF middleman port. A handle is made as soon as a node appears, and
// again on the first use after its connection was lost, asynchronously (a
// caller never blocks on a TCP connect); it is cached while the connection
// lives, and dropped when the proxy goes down or the node leaves the table.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace taskflow::cluster {

class remote_gates {
public:
  remote_gates(caf::actor_system& system, std::chrono::milliseconds connect_timeout);
  ~remote_gates();
  remote_gates(const remote_gates&) = delete;
  remote_gates& operator=(const remote_gates&) = delete;

  // The other members' cluster addresses (node id -> "host:port"). Handles
  // of nodes that are gone, or now listen elsewhere, are dropped; new ones
  // start connecting.
  void update(const std::unordered_map<std::string, std::string>& addresses);

  // The gate of `node_id` when connected; otherwise starts a connection (one
  // at a time per node, and not again within a short backoff after a
  // failure) and returns an invalid handle: the caller retries shortly.
  caf::actor get(const std::string& node_id);

  // Number of nodes with a live handle (for metrics).
  std::size_t connected() const;

  struct shared;

private:
  caf::actor_system& system_;
  std::chrono::milliseconds connect_timeout_;
  std::shared_ptr<shared> shared_;
};

// "host:port" split at the last colon (so "[::1]:7000" keeps its brackets
// off the host); false when the port is missing or not a number.
bool split_host_port(const std::string& address, std::string& host, std::uint16_t& port);

}  // namespace taskflow::cluster
